//! The web page: `GET /` and its assets (`/app/...`), plain HTML, CSS and JavaScript
//! compiled into the binary (`include_str!`), with no build step. The page holds no data;
//! its script calls `/v1` like any other client (a bearer key when one was entered,
//! keyless on loopback). Outside `/v1` and its key check, like `/healthz`.
//!
//! Every answer carries a strict Content-Security-Policy (`'self'` only: no inline script
//! or style), `X-Content-Type-Options: nosniff`, no referrer, no framing, and
//! `Cache-Control: no-cache` with an `ETag` (the content's hash), so a browser revalidates
//! and gets a 304 until the binary changes.

use std::sync::OnceLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

/// The policy of every page answer: the page's own script, style, images and API only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'none'";

/// One file of the page.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "/",
        content_type: "text/html; charset=utf-8",
        body: include_str!("../web/index.html"),
    },
    Asset {
        path: "/app/app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../web/app.js"),
    },
    Asset {
        path: "/app/app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../web/app.css"),
    },
    Asset {
        path: "/app/icon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../web/icon.svg"),
    },
];

/// Registers `GET /` and the assets (other methods: 405).
pub fn routes(config: &mut web::ServiceConfig) {
    for (index, asset) in ASSETS.iter().enumerate() {
        config.service(
            super::resource(asset.path, "GET, HEAD")
                .route(web::get().to(move |request: HttpRequest| serve(request, index)))
                .route(web::head().to(move |request: HttpRequest| serve(request, index))),
        );
    }
}

/// Each asset's strong ETag, computed once.
fn etags() -> &'static [String] {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|asset| {
                let digest = Sha256::digest(asset.body.as_bytes());
                let hex: String = digest[..12]
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                format!("\"{hex}\"")
            })
            .collect()
    })
}

async fn serve(request: HttpRequest, index: usize) -> HttpResponse {
    let asset = &ASSETS[index];
    let etag = &etags()[index];
    let fresh = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, asset.content_type))
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .insert_header(("cross-origin-opener-policy", "same-origin"))
        .insert_header(("cross-origin-resource-policy", "same-origin"));
    if fresh {
        response.finish()
    } else {
        response.body(asset.body)
    }
}
