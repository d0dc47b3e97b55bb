//! Hugo shortcodes: found in the Markdown (outside code), replaced by placeholders before
//! pulldown-cmark parses it, and rendered to HTML where the placeholders come out.
