import { Suspense } from "react";
import { Search } from "./search";

export const metadata = { title: "Search" };

/** The page is static; the browser asks Quire directly (its `--cors-origin` lets it). */
export default function SearchPage() {
  return (
    <>
      <h1>Search</h1>
      <Suspense>
        <Search />
      </Suspense>
    </>
  );
}
