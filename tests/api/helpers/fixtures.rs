//! Accounts and sessions tests start from.

use serde_json::{Value, json};

use super::TestApp;
use super::assert::data;

/// The first account every test app starts with (developer role).
pub const DEV_EMAIL: &str = "dev@gerbang.test";
/// Its password.
pub const DEV_PASSWORD: &str = "correct horse battery staple";
/// The password test users get.
pub const PASSWORD: &str = "a perfectly fine passphrase";

/// The tokens of one signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Access token.
    pub access: String,
    /// Refresh token.
    pub refresh: String,
    /// The user's id.
    pub user_id: String,
}

/// The login mutation, selecting what tests need.
pub const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: { usernameOrEmail: $u, password: $p }) { accessToken refreshToken tokenType expiresIn user { id email } } }";

impl Session {
    /// Reads an `AuthPayload` at `data[field]`.
    pub fn from_payload(resp: &Value, field: &str) -> Session {
        let p = &data(resp)[field];
        Session {
            access: p["accessToken"].as_str().expect("accessToken").to_owned(),
            refresh: p["refreshToken"].as_str().expect("refreshToken").to_owned(),
            user_id: p["user"]["id"].as_str().expect("user id").to_owned(),
        }
    }
}

impl TestApp {
    /// The raw login response.
    pub async fn login(&self, who: &str, password: &str) -> Value {
        self.gql(LOGIN, json!({ "u": who, "p": password })).await
    }

    /// Signs in, panicking on failure.
    pub async fn session(&self, who: &str, password: &str) -> Session {
        Session::from_payload(&self.login(who, password).await, "login")
    }

    /// The developer's session.
    pub async fn developer(&self) -> Session {
        self.session(DEV_EMAIL, DEV_PASSWORD).await
    }

    /// The id of a role by name.
    pub async fn role_id(&self, name: &str) -> String {
        let dev = self.developer().await;
        let resp = self.gql_as(Some(&dev.access), "{ roles { id name } }", json!({})).await;
        data(&resp)["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("role {name} exists"))["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// Creates a role with the given permissions (as the developer); returns its id.
    pub async fn create_role(&self, name: &str, permissions: &[&str]) -> String {
        let dev = self.developer().await;
        let resp = self
            .gql_as(
                Some(&dev.access),
                "mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }",
                json!({ "i": { "name": name, "permissions": permissions } }),
            )
            .await;
        data(&resp)["createRole"]["id"].as_str().expect("id").to_owned()
    }

    /// Creates a user holding the named roles (as the developer); returns its id.
    pub async fn create_user(&self, email: &str, roles: &[&str]) -> String {
        let dev = self.developer().await;
        let mut role_ids = Vec::new();
        for r in roles {
            role_ids.push(self.role_id(r).await);
        }
        let resp = self
            .gql_as(
                Some(&dev.access),
                "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
                json!({ "i": { "email": email, "password": PASSWORD, "roleIds": role_ids } }),
            )
            .await;
        data(&resp)["createUser"]["id"].as_str().expect("id").to_owned()
    }

    /// Creates a user holding the named roles and signs it in.
    pub async fn signed_in(&self, email: &str, roles: &[&str]) -> Session {
        self.create_user(email, roles).await;
        self.session(email, PASSWORD).await
    }
}
