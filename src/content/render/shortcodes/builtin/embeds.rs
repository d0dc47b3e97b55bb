//! Third-party embeds among Hugo's built-ins (YouTube, Vimeo, X/Twitter, GitHub gists,
//! Instagram), written privacy-friendly: no tracking parameters, no scripts but the gist's.

use super::super::escaped;
use super::{Host, Shortcode, attribute, flag, get, missing, named};

/// Hugo's style for the 16:9 wrapper of a video iframe, when no `class` replaces it.
const VIDEO_DIV_STYLE: &str =
    "position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;";
/// Hugo's style for the video iframe, when no `class` replaces it.
const VIDEO_IFRAME_STYLE: &str =
    "position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;";

/// Hugo's `youtube`: `id` (or the first positional argument), and named `autoplay`,
/// `controls`, `loop`, `mute`, `start`, `end`, `title`, `loading`, `class`, `allowFullScreen`.
pub(super) fn youtube(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let Some(id) = get(shortcode, "id", 0) else {
        return missing(shortcode, host, "a video id", "{{< youtube VIDEO_ID >}}");
    };
    let autoplay = flag(shortcode, "autoplay", false);
    let number = |on: bool| if on { "1" } else { "0" };
    let mut query = vec![
        ("autoplay", number(autoplay).to_owned()),
        (
            "controls",
            number(flag(shortcode, "controls", true)).to_owned(),
        ),
        ("end", named(shortcode, "end").unwrap_or("0").to_owned()),
        ("loop", number(flag(shortcode, "loop", false)).to_owned()),
        (
            "mute",
            number(autoplay || flag(shortcode, "mute", false)).to_owned(),
        ),
        ("start", named(shortcode, "start").unwrap_or("0").to_owned()),
    ];
    if flag(shortcode, "loop", false) {
        query.push(("playlist", id.to_owned()));
    }
    // Hugo's `querify` sorts the keys.
    query.sort_by_key(|(key, _)| *key);
    let query: Vec<_> = query
        .iter()
        .map(|(key, value)| format!("{key}={}", url_part(value)))
        .collect();
    let src = format!(
        "https://www.youtube-nocookie.com/embed/{}?{}",
        url_part(id),
        query.join("&")
    );
    let mut allow = String::from(
        "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share",
    );
    if flag(shortcode, "allowFullScreen", true) {
        allow.push_str("; fullscreen");
    }
    let class = get(shortcode, "class", 1);
    format!(
        "<div{}{}><iframe allow=\"{allow}\"{} referrerpolicy=\"strict-origin-when-cross-origin\" src=\"{}\"{}{}></iframe></div>",
        attribute("class", class),
        attribute("style", class.is_none().then_some(VIDEO_DIV_STYLE)),
        attribute(
            "loading",
            Some(named(shortcode, "loading").unwrap_or("eager"))
        ),
        escaped(&src),
        attribute("style", class.is_none().then_some(VIDEO_IFRAME_STYLE)),
        attribute(
            "title",
            Some(named(shortcode, "title").unwrap_or("YouTube video"))
        ),
    )
}

/// Named, or positional in the order id, class, title, loading (as Hugo's documentation has it).
pub(super) fn vimeo(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let Some(id) = get(shortcode, "id", 0) else {
        return missing(shortcode, host, "a video id", "{{< vimeo VIDEO_ID >}}");
    };
    let class = get(shortcode, "class", 1);
    let allow = flag(shortcode, "allowFullScreen", true).then_some("fullscreen");
    format!(
        "<div{}{}><iframe src=\"https://player.vimeo.com/video/{}?dnt=1\"{}{}{}{}></iframe></div>",
        attribute("class", class),
        attribute("style", class.is_none().then_some(VIDEO_DIV_STYLE)),
        url_part(id),
        attribute("style", class.is_none().then_some(VIDEO_IFRAME_STYLE)),
        attribute("allow", allow),
        attribute("loading", get(shortcode, "loading", 3)),
        attribute("title", get(shortcode, "title", 2)),
    )
}

/// `user` and `id` named, or positional `USER ID` (or `ID` alone, user `x`) as old Hugo took them.
pub(super) fn tweet(shortcode: &Shortcode, host: &mut dyn Host, site: &str) -> String {
    let (user, id) = match (named(shortcode, "user"), named(shortcode, "id")) {
        (Some(user), Some(id)) => (user, id),
        _ => match (shortcode.args.positional(0), shortcode.args.positional(1)) {
            (Some(user), Some(id)) => (user, id),
            (Some(id), None) => ("x", id),
            _ => {
                let example = format!("{{{{< {} user=\"USER\" id=\"ID\" >}}}}", shortcode.name);
                return missing(shortcode, host, "a user and a post id", &example);
            }
        },
    };
    let url = escaped(&format!(
        "{site}/{}/status/{}",
        url_part(user),
        url_part(id)
    ));
    format!(
        "<blockquote class=\"twitter-tweet\" data-dnt=\"true\"><a href=\"{url}\">{url}</a></blockquote>"
    )
}

/// Positional `USER ID` and an optional file name.
pub(super) fn gist(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let args = &shortcode.args;
    let (Some(user), Some(id)) = (args.positional(0), args.positional(1)) else {
        return missing(
            shortcode,
            host,
            "a user and a gist id",
            "{{< gist USER ID >}}",
        );
    };
    let mut src = format!(
        "https://gist.github.com/{}/{}.js",
        url_part(user),
        url_part(id)
    );
    if let Some(file) = args.positional(2) {
        src.push_str("?file=");
        src.push_str(&url_part(file));
    }
    format!("<script src=\"{}\"></script>", escaped(&src))
}

/// Positional `ID`, optionally `hidecaption` after it (old Hugo).
pub(super) fn instagram(shortcode: &Shortcode, host: &mut dyn Host) -> String {
    let Some(id) = get(shortcode, "id", 0) else {
        return missing(shortcode, host, "a post id", "{{< instagram POST_ID >}}");
    };
    let url = escaped(&format!("https://www.instagram.com/p/{}", url_part(id)));
    let captioned = if shortcode.args.positional(1) == Some("hidecaption") {
        ""
    } else {
        " data-instgrm-captioned"
    };
    format!(
        "<blockquote class=\"instagram-media\"{captioned} data-instgrm-permalink=\"{url}\" data-instgrm-version=\"14\">\
         <a href=\"{url}\" target=\"_blank\">View this post on Instagram</a></blockquote>"
    )
}

/// Percent-encodes all but unreserved characters, for a URL path segment or query value.
fn url_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, rendered};

    #[test]
    fn renders_a_privacy_friendly_youtube_embed() {
        assert_eq!(
            ok("{{% youtube 0RKpf3rK57I %}}"),
            "<div style=\"position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;\">\
             <iframe allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; \
             picture-in-picture; web-share; fullscreen\" loading=\"eager\" \
             referrerpolicy=\"strict-origin-when-cross-origin\" \
             src=\"https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=0&amp;controls=1&amp;end=0&amp;loop=0&amp;mute=0&amp;start=0\" \
             style=\"position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;\" \
             title=\"YouTube video\"></iframe></div>"
        );
    }

    #[test]
    fn renders_a_youtube_embed_with_options() {
        let text = "{{< youtube id=\"0RKpf3rK57I\" autoplay=true loop=true start=30 end=60 \
                    title=\"It's\" class=\"v\" controls=false loading=lazy allowFullScreen=false >}}";
        assert_eq!(
            ok(text),
            "<div class=\"v\"><iframe allow=\"accelerometer; autoplay; clipboard-write; \
             encrypted-media; gyroscope; picture-in-picture; web-share\" loading=\"lazy\" \
             referrerpolicy=\"strict-origin-when-cross-origin\" \
             src=\"https://www.youtube-nocookie.com/embed/0RKpf3rK57I?autoplay=1&amp;controls=0&amp;end=60&amp;loop=1&amp;mute=1&amp;playlist=0RKpf3rK57I&amp;start=30\" \
             title=\"It&#39;s\"></iframe></div>"
        );
    }

    #[test]
    fn renders_a_vimeo_embed_without_tracking() {
        assert_eq!(
            ok("{{< vimeo 19899678 >}}"),
            "<div style=\"position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;\">\
             <iframe src=\"https://player.vimeo.com/video/19899678?dnt=1\" \
             style=\"position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;\" \
             allow=\"fullscreen\"></iframe></div>"
        );
        assert_eq!(
            ok("{{< vimeo id=19899678 class=\"foo bar\" loading=lazy title=\"My Video\" >}}"),
            "<div class=\"foo bar\"><iframe src=\"https://player.vimeo.com/video/19899678?dnt=1\" \
             allow=\"fullscreen\" loading=\"lazy\" title=\"My Video\"></iframe></div>"
        );
        assert_eq!(
            ok("{{< vimeo 1 cls \"A title\" >}}"),
            "<div class=\"cls\"><iframe src=\"https://player.vimeo.com/video/1?dnt=1\" \
             allow=\"fullscreen\" title=\"A title\"></iframe></div>"
        );
    }

    #[test]
    fn renders_a_tweet_as_a_blockquote_without_script() {
        let tweet = "<blockquote class=\"twitter-tweet\" data-dnt=\"true\">\
                     <a href=\"https://twitter.com/golang/status/1\">https://twitter.com/golang/status/1</a></blockquote>";
        assert_eq!(ok("{{< tweet user=\"golang\" id=\"1\" >}}"), tweet);
        assert_eq!(ok("{{< twitter golang 1 >}}"), tweet);
        assert!(
            ok("{{< x user=\"golang\" id=\"1\" >}}").contains("\"https://x.com/golang/status/1\"")
        );
        assert_eq!(rendered("{{< tweet user=\"golang\" >}}").1.len(), 1);
    }

    #[test]
    fn renders_a_gist_script() {
        assert_eq!(
            ok("{{< gist spf13 7896402 >}}"),
            "<script src=\"https://gist.github.com/spf13/7896402.js\"></script>"
        );
        assert_eq!(
            ok("{{< gist spf13 7896402 \"img.html\" >}}"),
            "<script src=\"https://gist.github.com/spf13/7896402.js?file=img.html\"></script>"
        );
        assert_eq!(rendered("{{< gist spf13 >}}").1.len(), 1);
    }

    #[test]
    fn renders_an_instagram_post_as_a_blockquote_without_script() {
        assert_eq!(
            ok("{{< instagram CxOWiQNP2MO >}}"),
            "<blockquote class=\"instagram-media\" data-instgrm-captioned \
             data-instgrm-permalink=\"https://www.instagram.com/p/CxOWiQNP2MO\" data-instgrm-version=\"14\">\
             <a href=\"https://www.instagram.com/p/CxOWiQNP2MO\" target=\"_blank\">View this post on Instagram</a></blockquote>"
        );
        assert!(!ok("{{< instagram a hidecaption >}}").contains("captioned"));
    }
}
