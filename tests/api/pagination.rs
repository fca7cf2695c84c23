//! `users`: keyset pagination both ways, stable under inserts, with search, filters and
//! every sort; and the page-size and cursor rules.

use std::collections::HashSet;

use gerbang::users::domain::{Email, PersonName, Username};
use gerbang::users::service::{self, NewUser};
use serde_json::{Value, json};

use crate::helpers::assert::{assert_code, bad_fields, data};
use crate::helpers::{Backend, TestApp, TestDb};

backend_tests!(
    walking_250_users_both_ways_has_no_gaps_or_duplicates_under_inserts,
    every_sort_orders_with_a_stable_tie_breaker,
    search_and_filters_narrow_the_list_and_its_count,
    search_follows_renames_and_deletions,
    page_sizes_and_cursors_are_checked,
);

/// Inserts users straight through the service (arranging, not what is tested).
async fn seed(app: &TestApp, n: usize, prefix: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let new = NewUser {
            email: Email::parse(&format!("{prefix}{i:04}@x.io")).unwrap(),
            password: None,
            username: (i % 3 != 0).then(|| Username::parse(&format!("{prefix}u{i:04}")).unwrap()),
            display_name: (i % 4 != 0).then(|| PersonName::parse(&format!("Name {:04}", (i * 37) % 1000)).unwrap()),
            first_name: None,
            last_name: None,
            phone_number: None,
            address: None,
            avatar_url: None,
            is_active: i % 5 != 0,
            attributes: None,
            role_ids: Vec::new(),
            email_verified: false,
            locale: None,
        };
        let u = service::create(&app.state, None, new).await.unwrap();
        ids.push(u.id.to_string());
    }
    ids
}

const PAGE: &str =
    "query($first: Int, $after: String, $last: Int, $before: String, $sort: UserSort, $filter: UserFilter) {
  users(first: $first, after: $after, last: $last, before: $before, sort: $sort, filter: $filter) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

fn ids(resp: &Value) -> Vec<String> {
    data(resp)["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn walk_forward(app: &TestApp, token: &str, sort: Value, page: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let resp = app.gql_as(Some(token), PAGE, json!({ "first": page, "after": after, "sort": sort })).await;
        out.extend(ids(&resp));
        let info = &data(&resp)["users"]["pageInfo"];
        if info["hasNextPage"] != true {
            return out;
        }
        after = info["endCursor"].clone();
    }
}

async fn walking_250_users_both_ways_has_no_gaps_or_duplicates_under_inserts(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    seed(&app, 249, "w").await;
    let token = dev.access.as_str();

    // Forwards, 50 at a time, while other users keep being created.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let resp = app.gql_as(Some(token), PAGE, json!({ "first": 50, "after": after })).await;
        seen.extend(ids(&resp));
        seed(&app, 3, &format!("late{pages}-")).await;
        pages += 1;
        let info = data(&resp)["users"]["pageInfo"].clone();
        assert_eq!(info["hasPreviousPage"], pages > 1);
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert!(seen.len() >= 250, "no gaps: the 250 users and the ones inserted after them");

    // Backwards from the end gives the same order.
    let forward = walk_forward(&app, token, Value::Null, 50).await;
    let mut backward: Vec<String> = Vec::new();
    let mut before = Value::Null;
    loop {
        let resp = app.gql_as(Some(token), PAGE, json!({ "last": 50, "before": before })).await;
        let mut page = ids(&resp);
        page.extend(backward);
        backward = page;
        let info = &data(&resp)["users"]["pageInfo"];
        if info["hasPreviousPage"] != true {
            break;
        }
        before = info["startCursor"].clone();
    }
    assert_eq!(backward, forward, "backwards and forwards agree");
    app.stop().await;
}

async fn every_sort_orders_with_a_stable_tie_breaker(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    seed(&app, 60, "s").await;
    let list = app
        .gql_as(
            Some(&dev.access),
            "{ users(first: 100) { nodes { id email username displayName createdAt } } }",
            json!({}),
        )
        .await;
    let all: Vec<Value> = data(&list)["users"]["nodes"].as_array().unwrap().clone();

    for (field, key) in
        [("EMAIL", "email"), ("USERNAME", "username"), ("DISPLAY_NAME", "displayName"), ("CREATED_AT", "createdAt")]
    {
        for direction in ["ASC", "DESC"] {
            let sort = json!({ "field": field, "direction": direction });
            let got = walk_forward(&app, &dev.access, sort, 7).await;
            let mut expected = all.clone();
            expected.sort_by(|a, b| {
                let ka = a[key].as_str().unwrap_or("").to_lowercase();
                let kb = b[key].as_str().unwrap_or("").to_lowercase();
                let ord = ka.cmp(&kb).then_with(|| a["id"].as_str().cmp(&b["id"].as_str()));
                if direction == "DESC" { ord.reverse() } else { ord }
            });
            let expected: Vec<String> = expected.iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
            assert_eq!(got, expected, "sort {field} {direction}");
        }
    }
    app.stop().await;
}

async fn search_and_filters_narrow_the_list_and_its_count(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let dev_token = dev.access.clone();
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    for (email, username, first, last, active) in [
        ("budi@x.io", "budi", "Budi", "Santoso", true),
        ("siti@x.io", "siti_s", "Siti", "SANTOSO", false),
        ("santoso.j@x.io", "joko", "Joko", "Widodo", true),
        ("ani@x.io", "ani", "Ani", "Yudhoyono", true),
    ] {
        let i =
            json!({ "email": email, "username": username, "firstName": first, "lastName": last, "isActive": active });
        data(&app.gql_as(Some(&dev_token), create, json!({ "i": i })).await);
    }
    app.create_role("Field", &[]).await;
    let field_member = app.create_user("field@x.io", &["Field"]).await;
    let field_role = app.role_id("Field").await;

    let q = "query($f: UserFilter) { users(first: 50, filter: $f, sort: { field: EMAIL, direction: ASC }) { totalCount nodes { email } } }";
    let emails = |resp: &Value| -> Vec<String> {
        data(resp)["users"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "search": "santoso" } })).await;
    assert_eq!(emails(&resp), ["budi@x.io", "santoso.j@x.io", "siti@x.io"], "names and emails, any case");
    assert_eq!(data(&resp)["users"]["totalCount"], 3);

    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "search": "SANTOSO", "isActive": true } })).await;
    assert_eq!(emails(&resp), ["budi@x.io", "santoso.j@x.io"]);
    assert_eq!(data(&resp)["users"]["totalCount"], 2);

    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "search": "siti_" } })).await;
    assert_eq!(emails(&resp), ["siti@x.io"], "LIKE wildcards in the term are literal");
    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "search": "%" } })).await;
    assert_eq!(emails(&resp), Vec::<String>::new());

    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "roleId": field_role } })).await;
    assert_eq!(emails(&resp), ["field@x.io"]);
    assert!(!field_member.is_empty());

    let resp = app.gql_as(Some(&dev_token), q, json!({ "f": { "isActive": false } })).await;
    assert_eq!(emails(&resp), ["siti@x.io"]);
    app.stop().await;
}

/// The search index (a trigram index on SQLite and PostgreSQL) is kept with the rows:
/// a renamed user is found by its new name only, a deleted one not at all; short terms
/// are prefixes, and FTS or LIKE syntax in a term is plain text.
async fn search_follows_renames_and_deletions(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let t = Some(dev.access.as_str());
    let create = "mutation($i: CreateUserInput!) { createUser(input: $i) { id } }";
    let mut ids = Vec::new();
    for (email, last) in [("rina@x.io", "Lubis"), ("dewi@x.io", "Kusuma \"AND\" NOT*"), ("eko@x.io", "Lubis")] {
        let resp = app.gql_as(t, create, json!({ "i": { "email": email, "lastName": last } })).await;
        ids.push(data(&resp)["createUser"]["id"].as_str().unwrap().to_owned());
    }
    let q = "query($s: String) { users(first: 50, filter: { search: $s }, sort: { field: EMAIL, direction: ASC }) { nodes { email } } }";
    let found = |resp: Value| -> Vec<String> {
        data(&resp)["users"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["email"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "lubis" })).await), ["eko@x.io", "rina@x.io"]);
    // One or two letters match the start of an email, username or display name.
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "ri" })).await), ["rina@x.io"], "two letters: a prefix");
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "E" })).await), ["eko@x.io"], "one letter, any case");
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "ub" })).await), Vec::<String>::new(), "not a substring");
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "_" })).await), Vec::<String>::new(), "LIKE's wildcards are text");
    assert_eq!(
        found(app.gql_as(t, q, json!({ "s": "\"and\" not*" })).await),
        ["dewi@x.io"],
        "quotes and stars are text"
    );

    let rename = "mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }";
    data(&app.gql_as(t, rename, json!({ "id": ids[0], "i": { "lastName": "Siregar" } })).await);
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "lubis" })).await), ["eko@x.io"], "the old name is gone");
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "sireg" })).await), ["rina@x.io"], "the new one is found");

    let delete = "mutation($id: ID!) { deleteUser(id: $id) }";
    data(&app.gql_as(t, delete, json!({ "id": ids[2] })).await);
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "lubis" })).await), Vec::<String>::new());
    assert_eq!(found(app.gql_as(t, q, json!({ "s": "x.io" })).await).len(), 2, "the others stay");
    app.stop().await;
}

/// On SQLite a term with more than a thousand matches is not looked up in the trigram
/// table but found by walking the list; the answer is the same, pages and count alike.
#[tokio::test]
async fn a_common_search_term_pages_like_a_rare_one() {
    let db = TestDb::create(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    let t = Some(dev.access.as_str());
    let seeded: HashSet<String> = seed(&app, 1005, "w").await.into_iter().collect();
    let q = "query($after: String) { users(first: 100, after: $after, filter: { search: \"@X.IO\" }) {
        totalCount nodes { id } pageInfo { endCursor hasNextPage } } }";
    let mut found = HashSet::new();
    let mut after = Value::Null;
    loop {
        let resp = app.gql_as(t, q, json!({ "after": after })).await;
        let users = &data(&resp)["users"];
        assert_eq!(users["totalCount"], 1005);
        for n in users["nodes"].as_array().unwrap() {
            assert!(found.insert(n["id"].as_str().unwrap().to_owned()), "no duplicates");
        }
        if users["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = users["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(found, seeded);
    app.stop().await;
}

async fn page_sizes_and_cursors_are_checked(db: TestDb) {
    let app = TestApp::spawn(&db).await;
    let dev = app.developer().await;
    seed(&app, 25, "p").await;
    let t = Some(dev.access.as_str());

    let default = app.gql_as(t, PAGE, json!({})).await;
    assert_eq!(ids(&default).len(), 20, "20 by default");
    let too_many = app.gql_as(t, PAGE, json!({ "first": 101 })).await;
    assert_code(&too_many, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&too_many), ["first"]);
    assert_code(&app.gql_as(t, PAGE, json!({ "last": -1 })).await, "BAD_USER_INPUT");
    assert_code(&app.gql_as(t, PAGE, json!({ "first": 5, "last": 5 })).await, "BAD_USER_INPUT");

    let page = app.gql_as(t, PAGE, json!({ "first": 5 })).await;
    let cursor = data(&page)["users"]["pageInfo"]["endCursor"].clone();
    let other_sort = app
        .gql_as(t, PAGE, json!({ "first": 5, "after": cursor, "sort": { "field": "EMAIL", "direction": "ASC" } }))
        .await;
    assert_code(&other_sort, "BAD_USER_INPUT");
    assert_eq!(bad_fields(&other_sort), ["after"], "a cursor only works with the sort that made it");
    assert_code(&app.gql_as(t, PAGE, json!({ "after": "garbage" })).await, "BAD_USER_INPUT");
    app.stop().await;
}
