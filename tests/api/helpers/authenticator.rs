//! A software WebAuthn authenticator: an ES256 key answering `navigator.credentials.create()`
//! and `.get()` the way a browser hands the answers to a page (binary members base64url),
//! with "none" attestation and user verification. Everything an attacker could vary is a
//! field: the origin the browser reports, the signature counter, the credential id. The
//! real browser run (Chromium's virtual authenticator) is examples/spa-client's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use serde_cbor_2::Value as Cbor;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The origin gerbang's test configuration expects (GERBANG_APP_URL's default).
pub const ORIGIN: &str = "http://localhost:5173";

/// User present, user verified.
const UP_UV: u8 = 0x01 | 0x04;
/// … with attested credential data.
const UP_UV_AT: u8 = UP_UV | 0x40;

/// One credential on one authenticator.
pub struct Authenticator {
    key: SigningKey,
    /// The credential id it registers and answers with.
    pub credential_id: Vec<u8>,
    /// The user handle registration stored (what a discoverable credential answers with).
    pub user_handle: Option<Vec<u8>>,
    /// The signature counter of its last answer.
    pub counter: u32,
    /// The origin the "browser" reports.
    pub origin: String,
}

fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

fn unb64(value: &Value) -> Vec<u8> {
    B64.decode(value.as_str().expect("a base64url string")).expect("base64url")
}

impl Authenticator {
    /// A fresh key and a random 16-byte credential id, at the expected origin.
    pub fn new() -> Self {
        let key = SigningKey::random(&mut rand_core::OsRng);
        let credential_id = uuid::Uuid::new_v4().as_bytes().to_vec();
        Self { key, credential_id, user_handle: None, counter: 0, origin: ORIGIN.to_owned() }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::to_vec(
            &json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false }),
        )
        .expect("JSON")
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut map = BTreeMap::new();
        map.insert(Cbor::Integer(1), Cbor::Integer(2)); // kty: EC2
        map.insert(Cbor::Integer(3), Cbor::Integer(-7)); // alg: ES256
        map.insert(Cbor::Integer(-1), Cbor::Integer(1)); // crv: P-256
        map.insert(Cbor::Integer(-2), Cbor::Bytes(point.x().expect("x").to_vec()));
        map.insert(Cbor::Integer(-3), Cbor::Bytes(point.y().expect("y").to_vec()));
        serde_cbor_2::to_vec(&Cbor::Map(map)).expect("CBOR")
    }

    fn auth_data(&self, rp_id: &str, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }

    /// What `navigator.credentials.create({ publicKey })` returns for gerbang's `options`.
    pub fn create(&mut self, options: &Value) -> Value {
        let public_key = &options["publicKey"];
        let rp_id = public_key["rp"]["id"].as_str().expect("rp.id");
        self.user_handle = Some(unb64(&public_key["user"]["id"]));
        let mut auth_data = self.auth_data(rp_id, UP_UV_AT);
        auth_data.extend_from_slice(&[0; 16]); // AAGUID: none
        auth_data.extend_from_slice(&u16::try_from(self.credential_id.len()).expect("short id").to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&self.cose_key());
        let mut attestation = BTreeMap::new();
        attestation.insert(Cbor::Text("fmt".into()), Cbor::Text("none".into()));
        attestation.insert(Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new()));
        attestation.insert(Cbor::Text("authData".into()), Cbor::Bytes(auth_data));
        let client_data = self.client_data("webauthn.create", public_key["challenge"].as_str().expect("challenge"));
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&serde_cbor_2::to_vec(&Cbor::Map(attestation)).expect("CBOR")),
                "clientDataJSON": b64(&client_data),
            },
            "clientExtensionResults": {},
        })
    }

    /// What `navigator.credentials.get({ publicKey })` returns for gerbang's `options`,
    /// advancing the counter by one first.
    pub fn get(&mut self, options: &Value) -> Value {
        self.counter += 1;
        self.assert(options)
    }

    /// An answer with the counter as it is now (a copy of the key that fell behind).
    pub fn assert(&self, options: &Value) -> Value {
        let public_key = &options["publicKey"];
        let rp_id = public_key["rpId"].as_str().expect("rpId");
        let auth_data = self.auth_data(rp_id, UP_UV);
        let client_data = self.client_data("webauthn.get", public_key["challenge"].as_str().expect("challenge"));
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: DerSignature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.as_bytes()),
                "userHandle": self.user_handle.as_deref().map(b64),
            },
            "clientExtensionResults": {},
        })
    }
}
