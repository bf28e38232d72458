//! The web page at `/`: served by the binary with a strict Content-Security-Policy, its
//! assets load with their types, and its own same-origin writes pass the keyless checks.

use crate::helpers::spawn_app;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

#[test]
fn the_page_is_served_with_a_strict_policy_and_its_assets_load() {
    let app = spawn_app();
    let page = app.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
    assert_eq!(page.header("content-security-policy"), Some(CSP));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert!(
        page.text
            .contains(r#"<script type="module" src="/app/app.js"></script>"#)
    );
    assert!(
        page.text
            .contains(r#"<link rel="stylesheet" href="/app/app.css">"#)
    );
    // No inline script or style for the policy to block.
    assert!(!page.text.contains("<style"));
    assert!(!page.text.contains(" style="));
    assert_eq!(page.text.matches("<script").count(), 1);

    for (path, content_type, needle) in [
        ("/app/app.js", "text/javascript", "/v1/paths"),
        ("/app/app.css", "text/css", ".path svg"),
        ("/app/icon.svg", "image/svg+xml", "<svg"),
    ] {
        let asset = app.get(path);
        assert_eq!(asset.status, 200, "{path}");
        assert!(
            asset.content_type.starts_with(content_type),
            "{path}: {}",
            asset.content_type
        );
        assert_eq!(asset.header("content-security-policy"), Some(CSP), "{path}");
        assert_eq!(
            asset.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(asset.text.contains(needle), "{path}");
    }
}

#[test]
fn the_page_revalidates_by_etag_and_refuses_other_methods() {
    let app = spawn_app();
    let first = app.get("/app/app.js");
    let etag = first.header("etag").unwrap().to_string();
    let again = app.send(
        app.request("GET", "/app/app.js")
            .set("If-None-Match", &etag),
        None,
    );
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    let changed = app.send(
        app.request("GET", "/app/app.js")
            .set("If-None-Match", "\"other\""),
        None,
    );
    assert_eq!(changed.status, 200);

    let post = app.send(app.request("POST", "/"), Some(("text/plain", b"x")));
    post.problem(405);
    app.get("/app/missing.js").problem(404);
}

#[test]
fn the_page_needs_no_key_but_the_api_behind_it_does() {
    let app = spawn_app();
    let key = app.cli(&["workspace", "rotate-key", "default"]);
    let app = app.restart();
    assert_eq!(app.get("/").status, 200);
    app.get("/v1/people/me").problem(401);
    let keyed = app.with_key(Some(key.trim()));
    assert_eq!(keyed.get("/v1/people/me").status, 200);
}

#[test]
fn the_pages_own_same_origin_writes_pass_the_keyless_checks() {
    let app = spawn_app();
    let port = app.address.rsplit(':').next().unwrap().to_string();
    let origin = format!("http://127.0.0.1:{port}");
    // What Chromium sends with the page's upload: its origin and same-origin.
    let upload = app.send(
        app.request(
            "POST",
            "/v1/imports?owner=maria%40example.com&relationship=family",
        )
        .set("Origin", &origin)
        .set("Sec-Fetch-Site", "same-origin")
        .set("Sec-Fetch-Mode", "cors"),
        Some(("text/csv", b"name,email\nDana Ortiz,dana@example.com\n")),
    );
    assert_eq!(upload.status, 201, "{}", upload.text);
    // A page of another site is still refused.
    let foreign = app.send(
        app.request("POST", "/v1/imports")
            .set("Origin", "https://attacker.example")
            .set("Sec-Fetch-Site", "cross-site"),
        Some(("text/csv", b"name,email\nEve,eve@example.com\n")),
    );
    foreign.problem(403);
}
