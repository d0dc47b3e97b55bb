import { TermIndex } from "../../components/TermPage";

export const metadata = { title: "Categories" };

export default function Page() {
  return <TermIndex taxonomy="categories" />;
}
