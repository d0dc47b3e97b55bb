//! `sitemap.xml` with the `sitemap-rs` crate, following the sitemaps.org protocol 0.9
//! (<https://www.sitemaps.org/protocol.html>): a `urlset` in the
//! `http://www.sitemaps.org/schemas/sitemap/0.9` namespace, one `url` a page with its `loc`
//! (entity-escaped by the writer, as the protocol requires) and its `lastmod` as a W3C Datetime
//! (<https://www.w3.org/TR/NOTE-datetime>) to the second with a `±hh:mm` offset.
//!
//! Limits: one sitemap file holds at most 50,000 URLs and 52,428,800 bytes uncompressed, and a
//! `loc` is under 2,048 characters. [`write_sitemap`] does not split: past a limit it returns a
//! [`SitemapError`], and the caller decides (serve `/sitemap.xml` as a sitemap index pointing at
//! `/sitemap-1.xml`, ... of at most 50,000 URLs each, which `sitemap-rs` also writes, or list
//! only the newest 50,000 posts).

use chrono::{DateTime, FixedOffset};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use sitemap_rs::url::Url;
use sitemap_rs::url_set::UrlSet;

use super::xml_safe;

/// The most URLs one sitemap file may list (sitemaps.org).
pub(crate) const MAX_URLS: usize = 50_000;

/// The most bytes one sitemap file may have, uncompressed (sitemaps.org: 50 MiB).
pub(crate) const MAX_BYTES: usize = 52_428_800;

/// The length every `loc` must stay under, in bytes (sitemaps.org says characters; `sitemap-rs`
/// counts bytes, which is stricter).
pub(crate) const MAX_LOC: usize = 2_048;

/// One page of the sitemap.
#[derive(Clone, Debug)]
pub(crate) struct SitemapUrl {
    /// The page's absolute URL, unescaped.
    pub(crate) loc: String,
    /// When the page last changed. A date that jiff cannot hold (a year outside -9999..=9999)
    /// leaves `lastmod` out: it is optional in the protocol.
    pub(crate) lastmod: Option<DateTime<FixedOffset>>,
}

/// Why a sitemap could not be written within the protocol's limits.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SitemapError {
    #[error(
        "the sitemap would list {count} URLs, over the {MAX_URLS} one sitemap file may hold \
         (sitemaps.org): split it into files of at most {MAX_URLS} under a sitemap index"
    )]
    TooManyUrls { count: usize },
    #[error(
        "the URL {loc:?} is {len} bytes long, and a sitemap's <loc> must be under {MAX_LOC}: \
         shorten the post's slug or path"
    )]
    LocationTooLong { loc: String, len: usize },
    #[error(
        "the sitemap is {size} bytes, over the {MAX_BYTES} one sitemap file may have \
         (sitemaps.org): split it into smaller files under a sitemap index"
    )]
    TooLarge { size: usize },
}

/// The sitemap listing `urls`, in their order. At most [`MAX_URLS`]; see the module docs for
/// what happens past a limit. An empty list gives an empty `urlset`, which is well-formed but
/// not valid against sitemaps.org's schema (it asks for at least one `url`): list the home page
/// too.
pub(crate) fn write_sitemap(urls: &[SitemapUrl]) -> Result<Vec<u8>, SitemapError> {
    let count = urls.len();
    if count > MAX_URLS {
        return Err(SitemapError::TooManyUrls { count });
    }
    let urls = urls.iter().map(url).collect::<Result<Vec<_>, _>>()?;
    // `UrlSet::new` fails only past 50,000 URLs, checked above.
    let set = UrlSet::new(urls).map_err(|_| SitemapError::TooManyUrls { count })?;
    let mut out = Vec::new();
    set.write(&mut out)
        .expect("writing XML to a Vec cannot fail");
    if out.len() > MAX_BYTES {
        return Err(SitemapError::TooLarge { size: out.len() });
    }
    Ok(out)
}

/// One `url` of the set.
fn url(url: &SitemapUrl) -> Result<Url, SitemapError> {
    let loc = xml_safe(&url.loc);
    let mut builder = Url::builder(loc.clone());
    if let Some(lastmod) = url.lastmod.as_ref().and_then(zoned) {
        builder.last_modified(lastmod);
    }
    // With neither priority nor images, a `loc` of 2,048 bytes or more is the one failure.
    builder.build().map_err(|_| SitemapError::LocationTooLong {
        len: loc.len(),
        loc,
    })
}

/// `date` as jiff's `Zoned` in its own fixed offset, which is what `sitemap-rs` takes; `None`
/// outside jiff's range of years -9999..=9999.
fn zoned(date: &DateTime<FixedOffset>) -> Option<Zoned> {
    let nanos = i32::try_from(date.timestamp_subsec_nanos()).ok()?;
    let timestamp = Timestamp::new(date.timestamp(), nanos).ok()?;
    let offset = Offset::from_seconds(date.offset().local_minus_utc()).ok()?;
    Some(timestamp.to_zoned(TimeZone::fixed(offset)))
}
