//! Authentication: password hashing, opaque tokens, access JWTs, and the extractors handlers use
//! to learn who is calling (`AuthUser`, `ActiveUser`, `MaybeAuthUser`).
//!
//! Browsers hold a short-lived access JWT (15 minutes) in memory and a refresh token in an
//! `HttpOnly; SameSite=Strict` cookie that rotates on every use. Scripts use personal API tokens
//! (`ss_…`). Both are sent as `Authorization: Bearer …`. Every authenticated request reloads the
//! user and, for JWTs, their session, so suspension, role changes, logout and password changes
//! take effect at once rather than when an access token expires.

pub mod extract;
pub mod jwt;
pub mod password;
pub mod tokens;

pub use extract::{ActiveUser, AuthUser, AuthVia, MaybeAuthUser};
pub use jwt::JwtKeys;
