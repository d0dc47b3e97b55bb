"use client";
// Quire's HTML in the browser: a click on a link to one of the site's pages navigates without a
// reload (as next/link does), and a click on an embed's button loads the frame it stands for.
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";

export function Prose({ html, className }: { html: string; className?: string }) {
  const router = useRouter();
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const button = target.closest<HTMLButtonElement>("button[data-embed-src]");
    if (button) {
      const frame = document.createElement("iframe");
      frame.src = button.dataset.embedSrc!;
      frame.title = button.dataset.embedTitle ?? "";
      frame.allowFullscreen = true;
      button.replaceWith(frame);
      return;
    }
    const link = target.closest<HTMLAnchorElement>("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || link.target) return;
    const url = new URL(link.href);
    if (url.origin !== window.location.origin || link.getAttribute("href")!.startsWith("#")) return;
    event.preventDefault();
    router.push(url.pathname + url.search + url.hash);
  };
  return <div className={className} onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
