import type { Metadata } from "next";
import { termPage, type TermParams } from "../../../../components/TermPage";

// Made on the first visit, then kept until Quire says a post changed.
export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: TermParams): Promise<Metadata> {
  return { title: (await termPage("categories", params)).name };
}

export default async function Page({ params }: TermParams) {
  return (await termPage("categories", params)).page;
}
