// Quire's HTML, rendered as it is: the author's markup is never hydrated (React would refuse a
// <table> without <tbody>, or a <div> inside a <p>, that browsers accept). Before it is sent,
// third-party frames (YouTube, Vimeo) are replaced by a button, so nothing loads from another
// host until the reader asks; <Prose> then makes that button and the links to the site's own
// pages work in the browser.
import render from "dom-serializer";
import { Element, Text } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { Prose } from "./Prose";

/** The HTML with every frame from another host replaced by a button that loads it. */
export function withEmbedButtons(html: string): string {
  if (!/<iframe/i.test(html)) return html; // most posts: no parse
  const document = parseDocument(html);
  const frames = DomUtils.findAll(
    (element) => element.name === "iframe" && /^https?:\/\//.test(element.attribs.src ?? ""),
    document.children,
  );
  for (const frame of frames) {
    const title = frame.attribs.title || "Embedded content";
    const host = new URL(frame.attribs.src).host;
    const button = new Element(
      "button",
      { type: "button", "data-embed-src": frame.attribs.src, "data-embed-title": title },
      [new Text(`▶ ${title} (loads from ${host})`)],
    );
    DomUtils.replaceElement(frame, new Element("div", { class: "embed embed-closed" }, [button]));
  }
  return render(document, { encodeEntities: "utf8" });
}

export function Html({ html, className }: { html: string; className?: string }) {
  return <Prose className={className} html={withEmbedButtons(html)} />;
}
