//! Readiness and authentication of `/v1`: a middleware that answers 503 until the
//! snapshots are loaded and 401 without a valid key, and the [`Tenant`] extractor that
//! hands handlers the one workspace the request may see.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, web};

use super::problem::{Kind, Problem};
use super::state::{Access, AppState};
use crate::store::WorkspaceId;

/// The workspace of an authenticated `/v1` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenant(pub WorkspaceId);

/// Checks readiness and the bearer key, then lets the request through with its [`Tenant`].
///
/// # Errors
/// A 503 or 401 problem.
pub async fn authenticate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match tenant(&request) {
        Ok(tenant) => {
            request.extensions_mut().insert(tenant);
            Ok(next.call(request).await?.map_into_boxed_body())
        }
        // Answered here, as a response, so the outer middleware still sees and counts it.
        Err(problem) => Ok(request.error_response(problem)),
    }
}

fn tenant(request: &ServiceRequest) -> Result<Tenant, Problem> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Problem::new(Kind::Internal, "no application state"))?;
    if !state.is_ready() {
        return Err(Problem::new(
            Kind::NotReady,
            "the snapshots are still loading; retry shortly",
        ));
    }
    let key = match request.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(value) => Some(bearer(value.to_str().unwrap_or(""))?),
    };
    if key.is_none() && matches!(state.access, Access::LoopbackKeyless(_)) {
        from_this_machine(request, &state.origins)?;
    }
    Ok(Tenant(state.authenticate(key.as_deref())?))
}

/// A keyless request must come from this machine for this server, not from a web page:
/// its `Host` a loopback name (a page on another site that points its own name at
/// 127.0.0.1, DNS rebinding, gets 421), and a write not from another site (`Origin` a
/// loopback or configured origin, `Sec-Fetch-Site` not cross-site: 403). With a key, the
/// caller holds the key, and these checks are not needed.
fn from_this_machine(request: &ServiceRequest, origins: &[String]) -> Result<(), Problem> {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !is_loopback_host(host) {
        return Err(Problem::new(
            Kind::Misdirected,
            "a server without keys answers only loopback host names (localhost, 127.0.0.1, [::1])",
        ));
    }
    if request.method().is_safe() {
        return Ok(());
    }
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok());
    let allowed = |origin: &str| {
        origins.iter().any(|allowed| allowed == origin)
            || origin.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && is_loopback_host(rest)
            })
    };
    let site = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok());
    if origin.is_some_and(|origin| !allowed(origin))
        || (origin.is_none() && site.is_some_and(|site| site != "same-origin" && site != "none"))
    {
        return Err(Problem::new(
            Kind::Forbidden,
            "a server without keys takes no writes from web pages of other sites",
        ));
    }
    Ok(())
}

/// `localhost`, `*.localhost`, `127.x.y.z` or `[::1]`, with or without a port.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, after)) if after.is_empty() || after.starts_with(':') => inside,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

fn bearer(value: &str) -> Result<String, Problem> {
    let (scheme, key) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || key.trim().is_empty() {
        return Err(Problem::new(
            Kind::Unauthorized,
            "the Authorization header must be `Bearer KEY`",
        ));
    }
    Ok(key.trim().to_string())
}

impl FromRequest for Tenant {
    type Error = Problem;
    type Future = std::future::Ready<Result<Tenant, Problem>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            request
                .extensions()
                .get::<Tenant>()
                .copied()
                .ok_or_else(|| Problem::new(Kind::Unauthorized, "no workspace for this request")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_host_names_are_told_from_others() {
        for host in [
            "localhost",
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]",
            "[::1]:8080",
            "app.localhost:3000",
            "LOCALHOST.",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "",
            "attacker.example",
            "attacker.example:8080",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "10.0.0.1",
            "[::2]:80",
            "[::1]x",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
