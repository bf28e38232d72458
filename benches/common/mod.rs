//! A synthetic network for the criterion benches, shaped like the shared benchmark's
//! (`../shared/bench/README.md`): communities of 2,000 people, owners (5%) listing a few
//! hundred contacts each, 80% from their own community, about 6% of people in finance.
//! The shared benchmark itself (`warmpath bench`) is what the figures in the notes come
//! from; these benches exist to compare changes to one piece quickly and without Python.

#![allow(dead_code)]

use chrono::NaiveDate;
use warmpath::graph::{PersonNode, SnapshotInput, TieInput};
use warmpath::strength::StrengthInputs;
use warmpath::taxonomy::Taxonomy;

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const FIELDS: [(&str, f64); 10] = [
    ("software", 0.16),
    ("finance", 0.06),
    ("healthcare", 0.14),
    ("law", 0.05),
    ("education", 0.12),
    ("consulting", 0.08),
    ("marketing", 0.1),
    ("government", 0.09),
    ("manufacturing", 0.1),
    ("retail", 0.1),
];

pub struct Generated {
    pub people: Vec<PersonNode>,
    /// (a, b, strength) with a < b, one per pair.
    pub ties: Vec<(usize, usize, f64)>,
    /// Owners with at least a few contacts: the egos queries start from.
    pub egos: Vec<usize>,
    /// Per listing: (owner, contact, strength), before merging pairs.
    pub listings: Vec<(usize, usize, f64)>,
}

pub fn generate(count: usize, seed: u64) -> Generated {
    let taxonomy = Taxonomy::embedded();
    let mut rng = Rng::new(seed);
    let community = |i: usize| i / 2000;
    let communities = count.div_ceil(2000);
    let people: Vec<PersonNode> = (0..count)
        .map(|i| {
            let mut pick = rng.unit();
            let field = FIELDS
                .iter()
                .find(|(_, share)| {
                    pick -= share;
                    pick < 0.0
                })
                .map_or("retail", |(id, _)| id);
            PersonNode {
                id: i as i64 + 1,
                name: format!("Person {i}"),
                emails: vec![format!("p{i:07}@example.org")],
                company: Some(format!("Company {}", rng.below(60) + 60 * community(i))),
                title: Some("Associate".to_string()),
                fields: vec![field.to_string()],
                field_mask: taxonomy.mask_of(&[field]),
            }
        })
        .collect();
    let mut listings = Vec::new();
    let mut egos = Vec::new();
    for owner in 0..count {
        if rng.below(20) != 0 {
            continue;
        }
        let size = 100 + rng.below(600);
        let home = community(owner);
        for _ in 0..size {
            let contact = if rng.below(5) != 0 || communities == 1 {
                (home * 2000 + rng.below(2000)).min(count - 1)
            } else {
                rng.below(count)
            };
            if contact != owner {
                let strength = ((rng.unit() * 0.9 * 10_000.0).round() / 10_000.0).max(0.0001);
                listings.push((owner, contact, strength));
            }
        }
        if egos.len() < 200 {
            egos.push(owner);
        }
    }
    let mut ties: Vec<(usize, usize, f64)> = listings
        .iter()
        .map(|&(a, b, s)| (a.min(b), a.max(b), s))
        .collect();
    ties.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(y.2.total_cmp(&x.2)));
    ties.dedup_by_key(|t| (t.0, t.1));
    Generated {
        people,
        ties,
        egos,
        listings,
    }
}

impl Generated {
    pub fn snapshot_input(&self) -> SnapshotInput {
        SnapshotInput {
            people: self.people.clone(),
            ties: self
                .ties
                .iter()
                .map(|&(a, b, strength)| {
                    TieInput::new(
                        a,
                        b,
                        &StrengthInputs {
                            explicit: Some(strength),
                            ..StrengthInputs::default()
                        },
                    )
                })
                .collect(),
            me: None,
        }
    }

    /// The listings as a native network file.
    pub fn network_csv(&self) -> Vec<u8> {
        let mut out = String::from(
            "owner_email,name,email,company,title,field,relationship,last_contacted,interactions,strength\n",
        );
        let date = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap_or_default();
        for &(owner, contact, strength) in &self.listings {
            let person = &self.people[contact];
            out.push_str(&format!(
                "{},{},{},{},{},{},colleague,{date},3,{strength}\n",
                self.people[owner].emails[0],
                person.name,
                person.emails[0],
                person.company.as_deref().unwrap_or(""),
                person.title.as_deref().unwrap_or(""),
                person.fields[0],
            ));
        }
        out.into_bytes()
    }
}
