import { TermIndex } from "../../components/TermPage";

export const metadata = { title: "Keywords" };

export default function Page() {
  return <TermIndex taxonomy="keywords" />;
}
