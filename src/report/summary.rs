//! From events to what a seller acts on, per language: what buyers search most, what finds
//! nothing, what finds results nobody opens, and which pages buyers vote unhelpful.

use std::collections::BTreeMap;

use serde::Serialize;

use super::events::Event;

/// One language's findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageSummary {
    pub lang: String,
    pub searches: u64,
    pub clicks: u64,
    pub votes: u64,
    /// The most searched queries, most first.
    pub top_queries: Vec<QueryRow>,
    /// Queries that found nothing, by how often they found nothing.
    pub no_results: Vec<QueryRow>,
    /// Queries that found something that no buyer opened, by how often they were searched.
    pub no_click: Vec<QueryRow>,
    /// Pages with "no" votes, the surest unhelpful first.
    pub unhelpful_pages: Vec<PageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryRow {
    pub query: String,
    pub searches: u64,
    /// Searches that showed no result.
    pub without_results: u64,
    /// The most results it showed.
    pub results: u32,
    pub clicks: u64,
    /// The mean rank of the results opened (1 is the first), when any was.
    pub mean_clicked_rank: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageRow {
    pub page: String,
    pub helpful: u64,
    pub unhelpful: u64,
    /// The Wilson score interval's lower bound (95 %) of the share of "no": how unhelpful the
    /// page is at least, so that 3 of 3 does not outrank 40 of 50.
    pub unhelpful_at_least: f64,
}

/// Every language's findings, each list cut at `top` rows.
pub fn summarise(events: &[Event], top: usize) -> Vec<LanguageSummary> {
    #[derive(Default)]
    struct Tally<'a> {
        searches: u64,
        clicks: u64,
        votes: u64,
        queries: BTreeMap<&'a str, QueryTally>,
        pages: BTreeMap<&'a str, (u64, u64)>,
    }
    #[derive(Default)]
    struct QueryTally {
        searches: u64,
        without_results: u64,
        results: u32,
        clicks: u64,
        rank_sum: u64,
    }
    let mut languages: BTreeMap<&str, Tally> = BTreeMap::new();
    for event in events {
        let tally = languages.entry(event.lang()).or_default();
        match event {
            Event::Search { query, results, .. } => {
                tally.searches += 1;
                let q = tally.queries.entry(query).or_default();
                q.searches += 1;
                q.without_results += u64::from(*results == 0);
                q.results = q.results.max(*results);
            }
            Event::Click { query, rank, .. } => {
                tally.clicks += 1;
                let q = tally.queries.entry(query).or_default();
                q.clicks += 1;
                q.rank_sum += u64::from(*rank);
            }
            Event::Vote { page, helpful, .. } => {
                tally.votes += 1;
                let (yes, no) = tally.pages.entry(page).or_default();
                if *helpful {
                    *yes += 1;
                } else {
                    *no += 1;
                }
            }
        }
    }
    languages
        .into_iter()
        .map(|(lang, tally)| {
            let rows: Vec<QueryRow> = tally
                .queries
                .iter()
                .map(|(query, q)| QueryRow {
                    query: query.to_string(),
                    searches: q.searches,
                    without_results: q.without_results,
                    results: q.results,
                    clicks: q.clicks,
                    mean_clicked_rank: (q.clicks > 0).then(|| q.rank_sum as f64 / q.clicks as f64),
                })
                .collect();
            // Ties keep the queries' alphabetical order (the sort is stable).
            let ranked = |keep: &dyn Fn(&QueryRow) -> bool, count: &dyn Fn(&QueryRow) -> u64| {
                let mut kept: Vec<QueryRow> = rows.iter().filter(|r| keep(r)).cloned().collect();
                kept.sort_by_key(|r| std::cmp::Reverse(count(r)));
                kept.truncate(top);
                kept
            };
            let mut unhelpful_pages: Vec<PageRow> = tally
                .pages
                .iter()
                .filter(|(_, (_, no))| *no > 0)
                .map(|(page, &(yes, no))| PageRow {
                    page: page.to_string(),
                    helpful: yes,
                    unhelpful: no,
                    unhelpful_at_least: wilson_lower_bound(no, yes + no),
                })
                .collect();
            unhelpful_pages.sort_by(|a, b| b.unhelpful_at_least.total_cmp(&a.unhelpful_at_least));
            unhelpful_pages.truncate(top);
            LanguageSummary {
                lang: lang.to_string(),
                searches: tally.searches,
                clicks: tally.clicks,
                votes: tally.votes,
                top_queries: ranked(&|r| r.searches > 0, &|r| r.searches),
                no_results: ranked(&|r| r.without_results > 0, &|r| r.without_results),
                no_click: ranked(&|r| r.searches > r.without_results && r.clicks == 0, &|r| {
                    r.searches - r.without_results
                }),
                unhelpful_pages,
            }
        })
        .collect()
}

/// The lower bound of the Wilson score interval at 95 % confidence for `positive` of `total`.
fn wilson_lower_bound(positive: u64, total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = total as f64;
    let p = positive as f64 / n;
    let z2 = Z * Z;
    (p + z2 / (2.0 * n) - Z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_ranks_many_votes_above_few() {
        // By hand from the formula: 1 of 1 is at least 0.2065, 40 of 50 at least 0.6696.
        assert!((wilson_lower_bound(1, 1) - 0.2065).abs() < 1e-4);
        assert!((wilson_lower_bound(40, 50) - 0.6696).abs() < 1e-4);
        assert!(wilson_lower_bound(3, 3) < wilson_lower_bound(40, 50));
        assert_eq!(wilson_lower_bound(0, 0), 0.0);
    }
}
