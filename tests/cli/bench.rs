use crate::helpers::Sandbox;

/// A network file in the benchmark's shape: two egos, each with introducers who know
/// finance people.
const NETWORK: &str = "owner_email,name,email,company,title,field,relationship,last_contacted,interactions,strength\n\
    e1@x.org,I One,i1@x.org,C,T,software,friend,2024-01-01,3,0.9\n\
    e1@x.org,I Two,i2@x.org,C,T,law,friend,2024-01-01,3,0.5\n\
    i1@x.org,T One,t1@x.org,C,T,finance,colleague,2024-01-01,3,0.8\n\
    i1@x.org,T Two,t2@x.org,C,T,finance,colleague,2024-01-01,3,0.4\n\
    i2@x.org,T One,t1@x.org,C,T,finance,colleague,2024-01-01,3,0.9\n\
    i2@x.org,T Three,t3@x.org,C,T,software,colleague,2024-01-01,3,0.9\n\
    t1@x.org,I Two,i2@x.org,C,T,law,colleague,2024-01-01,3,0.95\n";

#[test]
fn bench_prints_timings_and_writes_answers_in_the_shared_format() {
    let sandbox = Sandbox::new();
    let network = sandbox.write("network.csv", NETWORK);
    let egos = sandbox.write("egos.txt", "e1@x.org\n");
    let answers = sandbox.path("answers.json");
    let stdout = sandbox.ok(&[
        "bench",
        "--network",
        network.to_str().unwrap(),
        "--egos",
        egos.to_str().unwrap(),
        "--field",
        "finance",
        "--k",
        "10",
        "--answers",
        &answers,
    ]);
    let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(summary["people"], 7, "{summary}");
    assert_eq!(summary["ties"], 6, "t1–i2 is listed both ways: {summary}");
    for key in ["load_s", "peak_rss_mb"] {
        assert!(summary[key].is_number(), "{key}: {summary}");
    }
    for query in ["2hop", "intro"] {
        for key in ["median_us", "p99_us", "qps"] {
            assert!(summary[query][key].is_number(), "{query}.{key}: {summary}");
        }
    }
    let answers: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&answers).unwrap()).unwrap();
    // The pair t1–i2 is listed twice; the larger strength (0.95) wins.
    let two_hop = &answers["2hop"]["e1@x.org"];
    assert_eq!(two_hop[0]["target"], "t1@x.org");
    assert_eq!(two_hop[0]["introducer"], "i1@x.org");
    assert!((two_hop[0]["score"].as_f64().unwrap() - 0.72).abs() < 1e-6);
    assert_eq!(two_hop[1]["target"], "t2@x.org");
    assert_eq!(two_hop.as_array().unwrap().len(), 2);
    let intro = &answers["intro"]["e1@x.org"];
    assert_eq!(intro[0]["introducer"], "i1@x.org");
    assert_eq!(intro[0]["reach"], 2);
    assert_eq!(intro[1]["introducer"], "i2@x.org");
    assert!((intro[1]["score"].as_f64().unwrap() - 0.475).abs() < 1e-6);
    assert_eq!(intro[1]["reach"], 1);
    // The bench never touches --db.
    assert!(!sandbox.dir.path().join("warmpath.db").exists());
}
