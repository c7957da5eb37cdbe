//! Related articles: up to five pages of the same language, the most similar text first,
//! across sections.

mod common;

use common::{Site, page, select};

fn related(site: &Site, path: &str) -> Vec<String> {
    let html = site.html(path);
    select(&html, "nav.related li a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

fn related_site() -> Site {
    Site::new(&[
        ("content/_index.md", &page("title = \"Help\"", "Hi.")),
        (
            "content/_index.lt.md",
            &page("title = \"Pagalba\"", "Labas."),
        ),
        ("content/guides/_index.md", &page("title = \"Guides\"", "")),
        ("content/faq/_index.md", &page("title = \"FAQ\"", "")),
        (
            "content/guides/oak-care.md",
            &page(
                "title = \"Caring for an oak board\"",
                "Oil the oak board every month with food-safe mineral oil. A dry oak board cracks.",
            ),
        ),
        (
            "content/faq/oiling.md",
            &page(
                "title = \"How often should I oil my oak board?\"",
                "Oil the board monthly; oiled oak resists cracks and stains.",
            ),
        ),
        (
            "content/guides/linen-washing.md",
            &page(
                "title = \"Washing linen aprons\"",
                "Wash linen at 40 degrees; a linen apron softens with every wash.",
            ),
        ),
        (
            "content/faq/apron-sizes.md",
            &page(
                "title = \"Which apron size fits me?\"",
                "Our linen apron comes in two sizes; the long apron reaches the knee.",
            ),
        ),
        (
            "content/faq/payments.md",
            &page(
                "title = \"Paying by card\"",
                "We take Visa, Mastercard and PayPal; the card is charged when you order.",
            ),
        ),
        (
            "content/guides/oak-care.lt.md",
            &page(
                "title = \"Ąžuolinės lentos priežiūra\"",
                "Ąžuolinę lentą aliejuokite kas mėnesį maistiniu aliejumi.",
            ),
        ),
        (
            "content/faq/oiling.lt.md",
            &page(
                "title = \"Kaip dažnai aliejuoti ąžuolinę lentą?\"",
                "Lentą aliejuokite kas mėnesį: aliejuota ąžuolinė lenta netrūkinėja.",
            ),
        ),
    ])
}

#[test]
fn the_most_similar_page_comes_first_even_from_another_section() {
    let site = related_site();
    site.build();
    assert_eq!(
        related(&site, "guides/oak-care/index.html")[0],
        "/faq/oiling/"
    );
    assert_eq!(
        related(&site, "faq/oiling/index.html")[0],
        "/guides/oak-care/"
    );
    assert_eq!(
        related(&site, "guides/linen-washing/index.html")[0],
        "/faq/apron-sizes/"
    );
    assert!(
        !related(&site, "guides/oak-care/index.html").contains(&"/guides/oak-care/".to_string()),
        "a page is not related to itself"
    );
}

#[test]
fn related_pages_stay_in_the_pages_language() {
    let site = related_site();
    site.build();
    let lt = related(&site, "lt/guides/oak-care/index.html");
    assert_eq!(lt[0], "/lt/faq/oiling/");
    assert!(lt.iter().all(|url| url.starts_with("/lt/")), "{lt:?}");
    let html = site.html("lt/guides/oak-care/index.html");
    assert_eq!(
        common::text(&select(&html, "nav.related h2")[0]),
        "Susiję straipsniai"
    );
}

#[test]
fn at_most_five_and_none_on_sections() {
    let mut files: Vec<(String, String)> = vec![
        ("content/_index.md".into(), page("title = \"Help\"", "Hi.")),
        (
            "content/_index.lt.md".into(),
            page("title = \"Pagalba\"", "Labas."),
        ),
        (
            "content/policies/_index.md".into(),
            page("title = \"Policies\"", "Returns and refunds."),
        ),
    ];
    for n in 0..9 {
        files.push((
            format!("content/policies/refund-{n}.md"),
            page(
                &format!("title = \"Refund case {n}\""),
                "Refunds go back to the card within five business days of the return.",
            ),
        ));
    }
    for n in 0..30 {
        files.push((
            format!("content/other-{n}.md"),
            page(
                &format!("title = \"Unrelated {n}\""),
                &format!("Topic number {n} alone."),
            ),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = Site::new(&borrowed);
    site.build();
    let list = related(&site, "policies/refund-0/index.html");
    assert_eq!(list.len(), 5, "{list:?}");
    assert!(
        list.iter().all(|u| u.starts_with("/policies/refund-")),
        "{list:?}"
    );
    assert!(related(&site, "policies/index.html").is_empty());
}
