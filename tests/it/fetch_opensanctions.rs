//! `sanctions fetch` and OpenSanctions' collections: fetched only when
//! `--only` names them, through the same download, checks and manifest as
//! the official lists, with OpenSanctions' licence on standard error. The
//! built binary runs against a tiny HTTP server the test starts on
//! 127.0.0.1; nothing here touches the network beyond that server.

use crate::dir::{Dir, root, s};
use crate::run::stderr;
use crate::server::Server;

/// OpenSanctions' FollowTheMoney sample: two parties and a family.
const SAMPLE: &str = "data/samples/opensanctions/entities.ftm.json";

/// Where a mirror over a lists directory has the sanctions collection.
const SANCTIONS_PATH: &str = "opensanctions_sanctions/entities.ftm.json";

/// The licence notice, as `fetch` prints it for the sanctions collection.
const NOTICE: &str = "sanctions: opensanctions-sanctions: OpenSanctions' data is licensed for non-commercial use only (CC BY-NC 4.0), unless its publisher grants otherwise";

#[test]
fn opensanctions_is_fetched_only_on_request_and_with_its_licence() {
    let server = Server::start();
    let bytes = std::fs::read(root().join(SAMPLE)).unwrap();
    server.serve(SANCTIONS_PATH, bytes.clone());
    let d = Dir::new();
    let lists = d.path("lists");
    let fetch = |extra: &[&str]| {
        let mut args = vec![
            "fetch",
            "--dir",
            s(&lists),
            "--from",
            &server.base,
            "--timeout",
            "10",
            "--retries",
            "0",
        ];
        args.extend_from_slice(extra);
        d.run(&args)
    };

    let o = fetch(&["--only", "opensanctions-sanctions"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains(NOTICE), "{err}");
    assert!(err.contains("1 of 1 sources fetched"), "{err}");
    assert_eq!(server.hits(SANCTIONS_PATH), 1);
    assert_eq!(std::fs::read(lists.join(SANCTIONS_PATH)).unwrap(), bytes);

    // The manifest entry, as for the official lists; not screened by default.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(lists.join("lists.json")).unwrap()).unwrap();
    let sources = manifest["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 1, "{manifest}");
    let entry = &sources[0];
    assert_eq!(entry["key"], "opensanctions-sanctions");
    assert_eq!(entry["dir"], "opensanctions_sanctions");
    assert_eq!(entry["screen"], false);
    assert_eq!(entry["entities"], 2, "the family is no party");
    let files = entry["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["file"], "entities.ftm.json");
    assert_eq!(
        files[0]["url"],
        format!("{}/{SANCTIONS_PATH}", server.base).as_str()
    );
    assert_eq!(
        files[0]["sha256"],
        sanctions::lists::sha256_hex(&bytes).as_str()
    );
    assert_eq!(files[0]["bytes"], bytes.len());

    // A plain fetch asks for the official lists only: they all fail here
    // (404), and OpenSanctions' files are not even asked for.
    let o = fetch(&[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("sanctions: un: failed"), "{err}");
    assert!(!err.contains("opensanctions"), "{err}");
    assert_eq!(server.hits(SANCTIONS_PATH), 1);
    for path in [
        "entities.ftm.json",
        "opensanctions_default/entities.ftm.json",
    ] {
        assert_eq!(server.hits(path), 0, "{path}");
    }
    // Nothing was fetched: the manifest and the collection stay.
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(
            &std::fs::read(lists.join("lists.json")).unwrap()
        )
        .unwrap(),
        manifest
    );
    assert_eq!(std::fs::read(lists.join(SANCTIONS_PATH)).unwrap(), bytes);
}
