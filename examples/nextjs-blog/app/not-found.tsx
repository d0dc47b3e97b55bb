import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        No post or page lives at this address. <Link href="/">The newest posts</Link> ·{" "}
        <Link href="/search/">Search</Link>
      </p>
    </>
  );
}
