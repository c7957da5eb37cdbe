//! What sellers get beyond pages: the shop's structured data (Organization, return and
//! shipping policies, product offers), the contact block's hours and holidays, notices,
//! the feedback widget, and the files static hosts read (`_redirects`, `_headers`,
//! `robots.txt`). Builds run at a fixed moment (`SOURCE_DATE_EPOCH`), so what is upcoming
//! does not depend on today's date.

mod common;

use std::collections::BTreeSet;

use common::{Html, Site, assert_quotes, diagnostic, good_with, json_ld, page, select, text};
use serde_json::Value;

/// 2026-12-01 12:00 UTC: before the demo's notice and holidays.
const BEFORE_HOLIDAYS: &str = "1796126400";
/// 2026-12-28 12:00 UTC: inside the demo's notice window, after Christmas.
const DURING_NOTICE: &str = "1798459200";
/// 2027-02-01 12:00 UTC: after the notice and every holiday.
const AFTER_ALL: &str = "1801483200";

const EU: [&str; 26] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// `helpdeck build` at the moment `epoch` (seconds), which must succeed.
fn build_at(site: &Site, epoch: &str) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_helpdeck"))
        .arg("build")
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("run helpdeck");
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn of_type(html: &Html, kind: &str) -> Option<Value> {
    json_ld(html).into_iter().find(|v| v["@type"] == kind)
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
        .collect()
}

fn days(value: &Value) -> (u64, u64, &str) {
    assert_eq!(value["@type"], "QuantitativeValue", "{value}");
    (
        value["minValue"].as_u64().expect("minValue"),
        value["maxValue"].as_u64().expect("maxValue"),
        value["unitCode"].as_str().expect("unitCode"),
    )
}

fn countries(regions: &Value) -> Vec<&str> {
    regions
        .as_array()
        .expect("shippingDestination list")
        .iter()
        .map(|r| {
            assert_eq!(r["@type"], "DefinedRegion");
            r["addressCountry"].as_str().expect("addressCountry")
        })
        .collect()
}

const WEEKDAYS_URLS: [&str; 5] = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
];

#[test]
fn demo_home_pages_carry_the_organization_with_contact_returns_and_shipping() {
    let site = Site::demo();
    build_at(&site, BEFORE_HOLIDAYS);
    for (prefix, lang) in [("", ""), ("lt/", "lt/"), ("zh-Hant/", "zh-Hant/")] {
        let org = of_type(&site.html(&format!("{prefix}index.html")), "Organization")
            .unwrap_or_else(|| panic!("no Organization on {prefix}index.html"));
        assert_eq!(org["@context"], "https://schema.org");
        assert_eq!(org["@id"], "https://help.oakandlinen.example/#organization");
        assert_eq!(org["name"], "Oak & Linen", "from helpdeck.toml [shop] name");
        assert_eq!(org["legalName"], "Oak & Linen, MB");
        assert_eq!(
            org["url"], "https://oakandlinen.example",
            "the shop: [brand] shop_url"
        );
        assert_eq!(
            org["logo"],
            "https://help.oakandlinen.example/images/logo.svg"
        );
        assert_eq!(org["address"]["addressLocality"], "Vilnius");
        assert_eq!(org["email"], "help@oakandlinen.example");
        assert_eq!(org["telephone"], "+370 600 12345");
        assert_eq!(
            strings(&org["sameAs"]),
            ["https://www.etsy.com/shop/OakAndLinen"]
        );

        let point = &org["contactPoint"];
        assert_eq!(point["@type"], "ContactPoint");
        assert_eq!(point["contactType"], "customer support");
        assert_eq!(point["email"], "help@oakandlinen.example");
        assert_eq!(point["telephone"], "+370 600 12345");
        assert_eq!(
            strings(&point["availableLanguage"]),
            ["en", "lt", "pl", "zh-Hant", "ms"]
        );
        let hours = point["hoursAvailable"].as_array().expect("hoursAvailable");
        assert_eq!(hours.len(), 3, "weekdays, Christmas, New Year: {hours:?}");
        assert_eq!(hours[0]["@type"], "OpeningHoursSpecification");
        assert_eq!(strings(&hours[0]["dayOfWeek"]), WEEKDAYS_URLS);
        assert_eq!(
            (&hours[0]["opens"], &hours[0]["closes"]),
            (&"09:00".into(), &"17:00".into())
        );
        for (holiday, from, through) in [
            (&hours[1], "2026-12-24", "2026-12-26"),
            (&hours[2], "2027-01-01", "2027-01-01"),
        ] {
            assert_eq!(holiday["@type"], "OpeningHoursSpecification");
            assert_eq!(
                (&holiday["opens"], &holiday["closes"]),
                (&"00:00".into(), &"00:00".into()),
                "closed all day"
            );
            assert_eq!(holiday["validFrom"], from);
            assert_eq!(holiday["validThrough"], through);
        }

        let returns = org["hasMerchantReturnPolicy"]
            .as_array()
            .expect("return policies");
        assert_eq!(
            returns.len(),
            2,
            "free label in the EU, buyer pays elsewhere"
        );
        for (policy, countries, fees) in [
            (&returns[0], EU.to_vec(), "https://schema.org/FreeReturn"),
            (
                &returns[1],
                vec!["GB", "MY", "TW"],
                "https://schema.org/ReturnFeesCustomerResponsibility",
            ),
        ] {
            assert_eq!(policy["@type"], "MerchantReturnPolicy");
            assert_eq!(strings(&policy["applicableCountry"]), countries);
            assert_eq!(policy["returnPolicyCountry"], "LT");
            assert_eq!(
                policy["returnPolicyCategory"],
                "https://schema.org/MerchantReturnFiniteReturnWindow"
            );
            assert_eq!(policy["merchantReturnDays"], 30);
            assert_eq!(policy["returnMethod"], "https://schema.org/ReturnByMail");
            assert_eq!(policy["returnFees"], fees);
            assert_eq!(policy["refundType"], "https://schema.org/FullRefund");
            assert_eq!(
                policy["merchantReturnLink"],
                format!("https://help.oakandlinen.example/{lang}policies/returns/"),
                "the returns policy in the home page's language"
            );
        }

        let services = org["hasShippingService"].as_array().expect("services");
        let names: Vec<&str> = services
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "EU standard",
                "EU express",
                "United Kingdom",
                "Malaysia",
                "Taiwan"
            ]
        );
        for service in services {
            assert_eq!(service["@type"], "ShippingService");
            let handling = &service["handlingTime"];
            assert_eq!(handling["@type"], "ServicePeriod");
            assert_eq!(days(&handling["duration"]), (1, 3, "DAY"));
            assert_eq!(
                handling["businessDays"]["@type"],
                "OpeningHoursSpecification"
            );
            assert_eq!(
                strings(&handling["businessDays"]["dayOfWeek"]),
                WEEKDAYS_URLS
            );
        }
        let standard = services[0]["shippingConditions"]
            .as_array()
            .expect("conditions");
        assert_eq!(standard.len(), 2, "paid below 50 EUR, free from 50 EUR");
        for (condition, rate, bound) in [
            (&standard[0], 5.9, "maxValue"),
            (&standard[1], 0.0, "minValue"),
        ] {
            assert_eq!(condition["@type"], "ShippingConditions");
            assert_eq!(countries(&condition["shippingDestination"]), EU);
            assert_eq!(condition["shippingRate"]["@type"], "MonetaryAmount");
            assert_eq!(condition["shippingRate"]["value"], rate);
            assert_eq!(condition["shippingRate"]["currency"], "EUR");
            assert_eq!(condition["orderValue"]["@type"], "MonetaryAmount");
            assert_eq!(condition["orderValue"][bound], 50.0);
            assert_eq!(condition["orderValue"]["currency"], "EUR");
            assert_eq!(condition["transitTime"]["@type"], "ServicePeriod");
            assert_eq!(days(&condition["transitTime"]["duration"]), (3, 6, "DAY"));
        }
        let uk = &services[2]["shippingConditions"][0];
        assert_eq!(countries(&uk["shippingDestination"]), ["GB"]);
        assert_eq!(uk["shippingRate"]["value"], 9.9);
        assert!(uk.get("orderValue").is_none(), "no free shipping to the UK");
        assert_eq!(days(&uk["transitTime"]["duration"]), (4, 8, "DAY"));
    }

    let policy = site.html("policies/returns/index.html");
    assert!(
        of_type(&policy, "Organization").is_none(),
        "only home pages"
    );
    assert!(
        of_type(&policy, "BreadcrumbList").is_some(),
        "kept on every page"
    );
    let product = site.html("products/oak-board/index.html");
    let offer = &of_type(&product, "Product").expect("Product")["offers"];
    assert_eq!(
        offer["seller"]["@id"], "https://help.oakandlinen.example/#organization",
        "the product page refers to the Organization by @id"
    );
    assert!(
        of_type(&product, "FAQPage").is_some(),
        "kept on product pages"
    );
}

#[test]
fn past_holidays_leave_the_contact_point_and_the_contact_block() {
    let site = Site::demo();
    build_at(&site, AFTER_ALL);
    let home = site.html("index.html");
    let org = of_type(&home, "Organization").expect("Organization");
    let hours = org["contactPoint"]["hoursAvailable"].as_array().unwrap();
    assert_eq!(hours.len(), 1, "only the weekly hours: {hours:?}");
    assert!(select(&home, ".holidays").is_empty());
}

const SHOP: &str = r#"
[returns]
window_days = 14
method = "in_store"
refund = "store_credit"
free_label_zones = ["home"]

[shipping]
processing_days = 2

[[shipping.zones]]
id = "home"
name = "Home"
countries = ["LT"]
price = { amount = 3, currency = "EUR" }
days = "1-2"

[[shipping.zones]]
id = "abroad"
name = "Abroad"
countries = ["DE", "FR"]
price = { amount = 9.5, currency = "EUR" }
days = "4–9"
"#;

#[test]
fn product_offers_carry_their_own_return_window_and_processing_time() {
    let product = |front: &str| {
        page(
            &format!("title = \"Board\"\nkind = \"product\"\n{front}"),
            "## Is it oak?\n\nYes.\n",
        )
    };
    let site = Site::new(&good_with(&[
        ("data/shop.toml", SHOP),
        (
            "content/products/custom.md",
            &product(
                "[product]\nname = \"Engraved board\"\nsku = \"B-1\"\nimage = \"/b.svg\"\nprice = { amount = 59.5, currency = \"EUR\" }\nreturn_window_days = 0\nprocessing_days = \"5-7\"",
            ),
        ),
        (
            "content/products/plain.md",
            &product(
                "[product]\nname = \"Plain board\"\nprice = { amount = 40, currency = \"EUR\" }",
            ),
        ),
        (
            "content/products/unpriced.md",
            &product("[product]\nname = \"Spoon\""),
        ),
    ]));
    site.write(
        "helpdeck.toml",
        format!("{}[shop]\nname = \"Test Shop\"\n", common::CONFIG),
    );
    build_at(&site, BEFORE_HOLIDAYS);

    let home = of_type(&site.html("index.html"), "Organization").expect("Organization");
    assert_eq!(home["name"], "Test Shop", "helpdeck.toml [shop] name");
    let returns = home["hasMerchantReturnPolicy"].as_array().unwrap();
    assert_eq!(
        returns[0]["returnMethod"],
        "https://schema.org/ReturnInStore"
    );
    assert_eq!(
        returns[0]["refundType"],
        "https://schema.org/StoreCreditRefund"
    );
    assert_eq!(returns[0]["merchantReturnDays"], 14);
    assert_eq!(strings(&returns[0]["applicableCountry"]), ["LT"]);
    assert_eq!(strings(&returns[1]["applicableCountry"]), ["DE", "FR"]);
    assert!(
        returns[0].get("merchantReturnLink").is_none(),
        "no page has `policy = \"returns\"`"
    );
    assert!(returns[0].get("returnPolicyCountry").is_none(), "not set");

    let custom = of_type(&site.html("products/custom/index.html"), "Product").expect("Product");
    assert_eq!(custom["@context"], "https://schema.org");
    assert_eq!(custom["name"], "Engraved board");
    assert_eq!(custom["sku"], "B-1");
    assert_eq!(custom["image"], "https://help.test.example/b.svg");
    assert_eq!(custom["url"], "https://help.test.example/products/custom/");
    let offer = &custom["offers"];
    assert_eq!(offer["@type"], "Offer");
    assert_eq!(offer["price"], 59.5);
    assert_eq!(offer["priceCurrency"], "EUR");
    assert_eq!(offer["seller"]["@id"], home["@id"]);
    let policies = offer["hasMerchantReturnPolicy"].as_array().unwrap();
    assert_eq!(policies.len(), 2);
    for policy in policies {
        assert_eq!(policy["@type"], "MerchantReturnPolicy");
        assert_eq!(
            policy["returnPolicyCategory"],
            "https://schema.org/MerchantReturnNotPermitted"
        );
        assert!(policy.get("merchantReturnDays").is_none());
        assert!(policy.get("returnFees").is_none());
    }
    let details = offer["shippingDetails"].as_array().unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[1]["@type"], "OfferShippingDetails");
    assert_eq!(countries(&details[1]["shippingDestination"]), ["DE", "FR"]);
    assert_eq!(details[1]["shippingRate"]["value"], 9.5);
    let delivery = &details[1]["deliveryTime"];
    assert_eq!(delivery["@type"], "ShippingDeliveryTime");
    assert_eq!(days(&delivery["handlingTime"]), (5, 7, "DAY"));
    assert_eq!(days(&delivery["transitTime"]), (4, 9, "DAY"));

    let plain = of_type(&site.html("products/plain/index.html"), "Product").expect("Product");
    assert_eq!(plain["offers"]["price"], 40.0);
    assert_eq!(
        plain["offers"]["url"],
        "https://help.test.example/products/plain/"
    );
    assert!(
        plain["offers"].get("hasMerchantReturnPolicy").is_none()
            && plain["offers"].get("shippingDetails").is_none(),
        "without overrides the Organization's policies apply"
    );
    let unpriced = site.html("products/unpriced/index.html");
    assert!(
        of_type(&unpriced, "Product").is_none(),
        "an offer needs a price"
    );
    assert!(of_type(&unpriced, "FAQPage").is_some());
}

#[test]
fn a_shop_without_policy_facts_gets_an_organization_without_policies() {
    let site = Site::new(&good_with(&[(
        "data/shop.toml",
        "[payments]\nmethods = [\"Visa\"]\n",
    )]));
    site.write(
        "helpdeck.toml",
        format!("{}[shop]\nname = \"Bare\"\n", common::CONFIG),
    );
    build_at(&site, BEFORE_HOLIDAYS);
    let org = of_type(&site.html("index.html"), "Organization").expect("Organization");
    assert_eq!(org["name"], "Bare");
    assert!(org.get("hasMerchantReturnPolicy").is_none());
    assert!(org.get("hasShippingService").is_none());
    assert!(org.get("contactPoint").is_none(), "no [contact]");
}

// ---------------------------------------------------------------------------------------------
// Contact block

#[test]
fn contact_block_shows_hours_and_holidays_in_the_page_language() {
    let site = Site::demo();
    build_at(&site, BEFORE_HOLIDAYS);
    for (path, monday, hours, holiday, christmas) in [
        (
            "index.html",
            "Monday",
            "9:00 AM–5:00 PM",
            "December 24, 2026",
            "Christmas",
        ),
        (
            "lt/index.html",
            "Pirmadienis",
            "09:00–17:00",
            "2026 m. gruodžio 24 d.",
            "Šv. Kalėdos",
        ),
        (
            "pl/index.html",
            "Poniedziałek",
            "09:00–17:00",
            "24 grudnia 2026",
            "Boże Narodzenie",
        ),
        (
            "zh-Hant/index.html",
            "星期一",
            "9:00–17:00",
            "2026年12月24日",
            "聖誕節",
        ),
    ] {
        let html = site.html(path);
        let contact = &select(&html, "section.contact[data-contact]")[0];
        assert_eq!(
            contact.value().attr("data-timezone"),
            Some("Europe/Vilnius"),
            "{path}"
        );
        assert_eq!(
            contact.value().attr("data-reply-hours"),
            Some("24"),
            "{path}"
        );
        let rows = select(&html, ".business-hours tbody tr");
        assert_eq!(rows.len(), 7, "{path}");
        let first = &rows[0];
        assert_eq!(first.value().attr("data-open"), Some("09:00"));
        assert_eq!(first.value().attr("data-close"), Some("17:00"));
        let cells: Vec<String> = first.child_elements().map(|c| text(&c)).collect();
        assert_eq!(
            cells
                .iter()
                .map(|c| c.replace('\u{202f}', " "))
                .collect::<Vec<_>>(),
            [monday, hours],
            "{path}"
        );
        let note = text(&select(&html, ".timezone-note")[0]);
        assert!(note.contains("Europe/Vilnius"), "{path}: {note}");
        let holidays: Vec<String> = select(&html, ".holidays li").iter().map(text).collect();
        assert_eq!(holidays.len(), 2, "{path}");
        assert!(
            holidays[0].contains(holiday) && holidays[0].ends_with(christmas),
            "{path}: {holidays:?}"
        );
        let first_holiday = &select(&html, ".holidays li")[0];
        assert_eq!(first_holiday.value().attr("data-first"), Some("2026-12-24"));
        assert_eq!(first_holiday.value().attr("data-last"), Some("2026-12-26"));
        assert_eq!(
            select(&html, "[data-open-status]")[0]
                .value()
                .attr("hidden"),
            Some(""),
            "the live status waits for the script"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Notices

#[test]
fn a_notice_shows_in_its_window_hidden_before_and_gone_after() {
    let site = Site::demo();
    build_at(&site, DURING_NOTICE);
    for (path, lang, starts) in [
        ("index.html", "en", "Holiday season"),
        ("lt/index.html", "lt", "Šventinis laikotarpis"),
        ("policies/returns/index.html", "en", "Holiday season"),
    ] {
        let html = site.html(path);
        let notices = select(&html, "header .notice[data-notice]");
        assert_eq!(notices.len(), 1, "{path}");
        let notice = notices[0].value();
        assert_eq!(notice.attr("hidden"), None, "{path}: current when built");
        assert_eq!(notice.attr("lang"), Some(lang));
        assert_eq!(
            notice.attr("data-start"),
            Some("2026-12-17T22:00:00Z"),
            "midnight in Vilnius"
        );
        assert_eq!(notice.attr("data-end"), Some("2027-01-04T22:00:00Z"));
        assert!(text(&notices[0]).contains(starts), "{path}");
    }

    build_at(&site, BEFORE_HOLIDAYS);
    let html = site.html("index.html");
    let notice = &select(&html, ".notice[data-notice]")[0];
    assert_eq!(
        notice.value().attr("hidden"),
        Some(""),
        "upcoming: in the page for the script to show on time, hidden until then"
    );

    build_at(&site, AFTER_ALL);
    assert!(
        select(&site.html("index.html"), ".notice").is_empty(),
        "over"
    );
}

#[test]
fn a_notice_without_the_page_language_shows_the_default_language_text() {
    let site = Site::new(common::GOOD);
    site.write(
        "helpdeck.toml",
        format!(
            "{}\n[[notices]]\nstart = 2026-01-01\nend = 2099-01-01\ntext = {{ en = \"Strike\" }}\n",
            common::CONFIG
        ),
    );
    build_at(&site, BEFORE_HOLIDAYS);
    let html = site.html("lt/index.html");
    let notice = &select(&html, ".notice")[0];
    assert_eq!(notice.value().attr("lang"), Some("en"));
    assert!(text(notice).ends_with("Strike"));
}

// ---------------------------------------------------------------------------------------------
// Feedback

#[test]
fn feedback_is_on_articles_and_policies_and_waits_for_the_script() {
    let site = Site::demo();
    build_at(&site, BEFORE_HOLIDAYS);
    for path in [
        "guides/caring-for-oak/index.html",
        "lt/policies/returns/index.html",
    ] {
        let html = site.html(path);
        let boxes = select(&html, "section.feedback[data-feedback]");
        assert_eq!(boxes.len(), 1, "{path}");
        let feedback = boxes[0].value();
        assert_eq!(
            feedback.attr("hidden"),
            Some(""),
            "{path}: hidden without JS"
        );
        assert_eq!(
            feedback.attr("data-endpoint"),
            Some("https://forms.oakandlinen.example/helpful")
        );
        assert_eq!(feedback.attr("data-event"), Some("helpful_vote"));
        let votes: Vec<&str> = select(&html, "[data-vote]")
            .iter()
            .filter_map(|b| b.value().attr("data-vote"))
            .collect();
        assert_eq!(votes, ["yes", "no"]);
        let contact = select(&html, "[data-feedback-contact] a[href^=\"mailto:\"]");
        assert_eq!(contact.len(), 1, "{path}: the contact options a no reveals");
    }
    for path in [
        "index.html",
        "faq/delivery/index.html",
        "products/oak-board/index.html",
    ] {
        assert!(
            select(&site.html(path), "[data-feedback]").is_empty(),
            "{path}"
        );
    }

    let plain = Site::new(common::GOOD);
    build_at(&plain, BEFORE_HOLIDAYS);
    assert!(select(&plain.html("about/index.html"), "[data-feedback]").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Bad configuration: file, line and offending text; the previous output untouched.

fn config_fails(extra: &str) -> (String, usize) {
    let site = Site::new(common::GOOD);
    site.build();
    let config = format!("{}{extra}", common::CONFIG);
    site.write("helpdeck.toml", &config);
    let stderr = site.fails_keeping_output(&["build"]);
    let line = config.lines().count() - extra.lines().count();
    (stderr, line)
}

#[test]
fn bad_hours_holidays_notices_and_feedback_name_their_line() {
    for (extra, offset, quoted, says) in [
        (
            "[contact.hours]\nmon = \"9 to 5\"\n",
            2,
            "mon = \"9 to 5\"",
            "should look like 09:00-17:00",
        ),
        (
            "[[contact.holidays]]\ndate = 2026-12-24T10:00:00\n",
            2,
            "date = 2026-12-24T10:00:00",
            "must be a date like 2026-12-24",
        ),
        (
            "[[contact.holidays]]\ndate = 2026-12-26\nend = 2026-12-24\n",
            3,
            "end = 2026-12-24",
            "is before `date`",
        ),
        (
            "[[contact.holidays]]\ndate = 2026-12-24\nname = { en = \"Xmas\", de = \"Weihnachten\" }\n",
            3,
            "name = { en = \"Xmas\", de = \"Weihnachten\" }",
            "`de` is not a configured language",
        ),
        (
            "[[notices]]\nstart = 2026-12-20\nend = 2026-12-01\ntext = { en = \"x\" }\n",
            3,
            "end = 2026-12-01",
            "`end` must be after `start`",
        ),
        (
            "[[notices]]\nstart = \"next week\"\nend = 2026-12-01\ntext = { en = \"x\" }\n",
            2,
            "start = \"next week\"",
            "must be a date like 2026-11-01",
        ),
        (
            "[[notices]]\nstart = 2026-12-01\nend = 2026-12-20\ntext = { lt = \"Streikas\" }\n",
            4,
            "text = { lt = \"Streikas\" }",
            "needs the default language `en`",
        ),
        (
            "[feedback]\nendpoint = \"forms.example/helpful\"\n",
            2,
            "endpoint = \"forms.example/helpful\"",
            "must be an http(s) URL",
        ),
        (
            "[feedback]\nendpoint = \"ftp://forms.example\"\n",
            2,
            "endpoint = \"ftp://forms.example\"",
            "must be an http(s) URL",
        ),
        (
            "[feedback]\nanalytics_event = \"helpful'); alert(1\"\n",
            2,
            "analytics_event = \"helpful'); alert(1\"",
            "must be a name of letters",
        ),
        ("[feedback]\n", 1, "[feedback]", "needs an `endpoint`"),
        (
            "[brand]\naccent = \"#f0a\"\n",
            2,
            "accent = \"#f0a\"",
            "has a contrast of 3.",
        ),
        (
            "[brand]\naccent_dark = \"#1d5bbf\"\n",
            2,
            "accent_dark = \"#1d5bbf\"",
            "make it lighter",
        ),
        (
            "[brand]\naccent = \"teal\"\n",
            2,
            "accent = \"teal\"",
            "must be a colour like",
        ),
        (
            "[brand]\nfavicon = \"/icon.gif\"\n",
            2,
            "favicon = \"/icon.gif\"",
            "must be an .svg, .png or .ico file",
        ),
        (
            "[brand]\nlogo = \"javascript:alert(1)\"\n",
            2,
            "logo = \"javascript:alert(1)\"",
            "must be a path on the site",
        ),
    ] {
        let (stderr, before) = config_fails(extra);
        let line = diagnostic(&stderr, "helpdeck.toml", Some(before + offset));
        assert_quotes(line, quoted);
        assert!(line.contains(says), "{extra}\n{line}");
    }
}

#[test]
fn the_shops_brand_and_identity_are_on_every_page_and_in_its_organization() {
    let config = format!(
        "{}[brand]\nlogo = \"/logo.svg\"\nfavicon = \"/icon.png\"\naccent = \"#8a4b2a\"\n\
         accent_dark = \"#e0a37a\"\nshop_url = \"https://shop.test.example\"\n",
        common::CONFIG
    );
    let config = format!(
        "{config}[shop]\nname = \"Oak\"\nlegal_name = \"Oak & Linen, MB\"\n\
         company_code = \"305000000\"\nvat_number = \"LT100000000000\"\n[shop.address]\n\
         street = \"Žalgirio g. 90\"\npostcode = \"LT-09303\"\ncity = \"Vilnius\"\ncountry = \"LT\"\n"
    );
    let site = Site::new(&good_with(&[]));
    site.write("helpdeck.toml", &config);
    site.write("static/icon.png", square_png(256, [0x8a, 0x4b, 0x2a]));
    let run = site.run(&["build", "--base-url", "https://help.test.example/help"]);
    assert!(run.ok(), "{}", run.stderr);
    for (path, back, company, vat) in [
        (
            "index.html",
            "Back to the shop",
            "Company code",
            "VAT number",
        ),
        (
            "lt/about/index.html",
            "Grįžti į parduotuvę",
            "Įmonės kodas",
            "PVM mokėtojo kodas",
        ),
    ] {
        let html = site.html(path);
        let icons: Vec<_> = select(&html, "link[rel=icon], link[rel=apple-touch-icon]")
            .iter()
            .map(|l| {
                let attr = |name| l.value().attr(name).unwrap_or_default().to_string();
                [attr("rel"), attr("href"), attr("type"), attr("sizes")].join(" ")
            })
            .collect();
        assert_eq!(
            icons,
            [
                "icon /help/favicon.ico  16x16 32x32 48x48",
                "icon /help/icon.png image/png ",
                "icon /help/icon-192.png image/png 192x192",
                "apple-touch-icon /help/apple-touch-icon.png  ",
            ],
            "{path}"
        );
        let style = text(&select(&html, "head style")[0]);
        assert!(
            style.contains("--accent:#8a4b2a;--accent-hover:#6e3c22")
                && style.contains("prefers-color-scheme:dark")
                && style.contains("--accent:#e0a37a"),
            "{style}"
        );
        let logo = &select(&html, ".brand img")[0];
        assert_eq!(logo.value().attr("src"), Some("/help/logo.svg"));
        assert_eq!(
            logo.value().attr("alt"),
            Some(""),
            "beside the title it names"
        );
        let shop_link = &select(&html, "a.back-to-shop")[0];
        assert_eq!(
            shop_link.value().attr("href"),
            Some("https://shop.test.example")
        );
        assert_eq!(text(shop_link), back);
        assert_eq!(
            text(&select(&html, "footer .trader")[0]),
            format!(
                "Oak & Linen, MB · Žalgirio g. 90, LT-09303 Vilnius, LT · {company} 305000000 · {vat} LT100000000000"
            )
        );
    }
    // The sizes drawn from the one image, in its colour.
    for (file, size) in [("icon-192.png", 192), ("apple-touch-icon.png", 180)] {
        let icon = resvg::tiny_skia::Pixmap::load_png(site.public().join(file)).expect(file);
        assert_eq!((icon.width(), icon.height()), (size, size));
        let middle = icon.pixel(size / 2, size / 2).unwrap().demultiply();
        assert_eq!(
            [middle.red(), middle.green(), middle.blue()],
            [0x8a, 0x4b, 0x2a]
        );
    }
    let ico = std::fs::read(site.public().join("favicon.ico")).unwrap();
    assert_eq!(&ico[..6], &[0, 0, 1, 0, 3, 0], "an icon of 3 images");

    let org = of_type(&site.html("index.html"), "Organization").expect("Organization");
    assert_eq!(org["url"], "https://shop.test.example");
    assert_eq!(org["logo"], "https://help.test.example/help/logo.svg");
    assert_eq!(org["vatID"], "LT100000000000");
    assert_eq!(org["address"]["@type"], "PostalAddress");
    assert_eq!(org["address"]["streetAddress"], "Žalgirio g. 90");
    assert_eq!(org["address"]["postalCode"], "LT-09303");
    assert_eq!(org["address"]["addressLocality"], "Vilnius");
    assert_eq!(org["address"]["addressCountry"], "LT");
}

#[test]
fn bad_shop_facts_and_product_overrides_name_their_line() {
    let site = Site::new(&good_with(&[("data/shop.toml", SHOP)]));
    site.build();

    site.write(
        "data/shop.toml",
        SHOP.replace("[\"DE\", \"FR\"]", "[\"DE\", \"France\"]"),
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let line = diagnostic(&stderr, "data/shop.toml", Some(21));
    assert!(
        line.contains("`France` is not a two-letter country code"),
        "{line}"
    );

    site.write(
        "data/shop.toml",
        SHOP.replace("[\"home\"]", "[\"domestic\"]"),
    );
    let stderr = site.fails_keeping_output(&["build"]);
    let line = diagnostic(&stderr, "data/shop.toml", Some(6));
    assert!(
        line.contains("no [[shipping.zones]] entry has id `domestic`"),
        "{line}"
    );
    assert_quotes(line, "free_label_zones = [\"domestic\"]");

    site.write(
        "data/shop.toml",
        SHOP.replace("days = \"1-2\"", "days = \"soon\""),
    );
    let stderr = site.fails_keeping_output(&["build"]);
    assert!(diagnostic(&stderr, "data/shop.toml", Some(16)).contains("expected days like 3"));

    site.write("data/shop.toml", SHOP);
    // Line 5 of the page is the one product key given after its name.
    for (key, message) in [
        ("return_window_days = 0", "add `price"),
        ("gtin = \"4006381333932\"", "its check digit is 1"),
        ("availability = \"instock\"", "in_stock"),
    ] {
        site.write(
            "content/products/board.md",
            page(
                &format!("title = \"Board\"\n[product]\nname = \"Board\"\n{key}"),
                "x\n",
            ),
        );
        let stderr = site.fails_keeping_output(&["build"]);
        let line = diagnostic(&stderr, "content/products/board.md", Some(5));
        assert!(line.contains(message), "{line}");
    }
}

#[test]
fn product_pages_show_price_availability_and_returns_in_the_page_language() {
    let product = |title: &str, front: &str| {
        page(
            &format!(
                "title = \"{title}\"\nkind = \"product\"\ndescription = \"About the board.\"\n[product]\n{front}"
            ),
            "## Is it oak?\n\nYes.\n",
        )
    };
    let board = "name = \"Board\"\nprice = { amount = 1250.5, currency = \"EUR\" }\n\
                 availability = \"preorder\"\nbrand = \"Oak & Linen\"\ngtin = \"4006381333931\"";
    let site = Site::new(&good_with(&[
        ("data/shop.toml", SHOP),
        ("content/products/board.md", &product("Board", board)),
        ("content/products/board.lt.md", &product("Lenta", board)),
        (
            "content/products/wrap.md",
            &product(
                "Wrap",
                "name = \"Wrap\"\nprice = { amount = 18, currency = \"GBP\" }\nreturn_window_days = 0\n\
                 description = \"Linen coated in beeswax.\"",
            ),
        ),
        (
            "content/policies/returns.md",
            &page(
                "title = \"Returns\"\nkind = \"policy\"\npolicy = \"returns\"\nupdated = 2026-01-15",
                "Return within 14 days.\n",
            ),
        ),
    ]));
    site.build();
    let facts = |path: &str| -> Vec<(String, String)> {
        let html = site.html(path);
        let terms = select(&html, ".product-data dt");
        let values = select(&html, ".product-data dd");
        terms
            .iter()
            .map(text)
            .zip(values.iter().map(text))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        facts("products/board/index.html"),
        pairs(&[
            ("Price", "€1,250.50"),
            ("Availability", "Available to pre-order"),
            ("Returns", "Within 14 days of delivery"),
            ("Brand", "Oak & Linen"),
            ("Barcode (GTIN)", "4006381333931"),
        ])
    );
    assert_eq!(
        facts("lt/products/board/index.html"),
        pairs(&[
            ("Kaina", "1\u{a0}250,50\u{a0}€"),
            ("Prieinamumas", "Galima užsakyti iš anksto"),
            ("Grąžinimas", "Per 14 dienų nuo pristatymo"),
            ("Prekės ženklas", "Oak & Linen"),
            ("Brūkšninis kodas (GTIN)", "4006381333931"),
        ])
    );
    assert_eq!(
        facts("products/wrap/index.html"),
        pairs(&[
            ("Price", "£18.00"),
            ("Returns", "Cannot be returned unless faulty"),
        ])
    );
    let returns_link = site.html("products/wrap/index.html");
    let link = select(&returns_link, ".product-returns a");
    assert_eq!(link[0].value().attr("href"), Some("/policies/returns/"));

    let board = of_type(&site.html("products/board/index.html"), "Product").expect("Product");
    assert_eq!(
        board["offers"]["availability"],
        "https://schema.org/PreOrder"
    );
    assert_eq!(board["brand"]["name"], "Oak & Linen");
    assert_eq!(board["gtin"], "4006381333931");
    assert_eq!(board["description"], "About the board.");
    let wrap = of_type(&site.html("products/wrap/index.html"), "Product").expect("Product");
    assert_eq!(wrap["description"], "Linen coated in beeswax.");
    assert!(wrap["offers"].get("availability").is_none(), "not given");
    for policy in wrap["offers"]["hasMerchantReturnPolicy"]
        .as_array()
        .unwrap()
    {
        assert_eq!(
            policy["returnPolicyCategory"],
            "https://schema.org/MerchantReturnNotPermitted"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hosting: _redirects, _headers, robots.txt, alias pages

/// `_headers` as (path pattern, Cache-Control value) pairs.
fn header_rules(text: &str) -> Vec<(String, String)> {
    let mut rules = Vec::new();
    let mut path: Option<String> = None;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        if line.starts_with('/') {
            path = Some(line.trim().to_string());
        } else {
            let (name, value) = line.trim().split_once(':').expect("Name: value");
            assert_eq!(name, "Cache-Control", "{line}");
            rules.push((
                path.clone().expect("a path before headers"),
                value.trim().to_string(),
            ));
        }
    }
    rules
}

/// The rules matching `url` the way Netlify and Cloudflare Pages match: `/x/*` is a prefix,
/// anything else the exact path.
fn matching<'a>(rules: &'a [(String, String)], url: &str) -> Vec<&'a str> {
    rules
        .iter()
        .filter(|(pattern, _)| match pattern.strip_suffix('*') {
            Some(prefix) => url.starts_with(prefix),
            None => url == pattern,
        })
        .map(|(_, value)| value.as_str())
        .collect()
}

/// Every file of the output as the URL a visitor asks for (`/lt/faq/` for an index.html).
fn output_urls(site: &Site, base_path: &str) -> Vec<String> {
    common::snapshot(&site.public())
        .into_iter()
        .map(|(path, _)| {
            let url = format!("{base_path}/{}", path.to_string_lossy().replace('\\', "/"));
            url.strip_suffix("index.html")
                .map_or(url.clone(), str::to_string)
        })
        .collect()
}

#[test]
fn headers_cache_hashed_assets_for_good_and_revalidate_everything_else() {
    for (base_url, base_path) in [
        ("https://help.oakandlinen.example", ""),
        ("https://shop.example/help", "/help"),
    ] {
        let site = Site::demo();
        let returns = std::fs::read_to_string(site.root().join("content/policies/returns.md"))
            .expect("demo returns policy");
        site.write(
            "content/policies/returns.md",
            returns.replacen(
                "policy = \"returns\"",
                "policy = \"returns\"\naliases = [\"/returns/\"]",
                1,
            ),
        );
        let run = site.run(&["build", "--base-url", base_url]);
        assert!(run.ok(), "{}", run.stderr);
        let rules = header_rules(&site.read("_headers"));
        let urls = output_urls(&site, base_path);
        let (mut assets, mut pages, mut event_file) = (0, 0, false);
        for url in &urls {
            let values = matching(&rules, url);
            if url.ends_with("/_headers") || url.ends_with("/_redirects") || url.contains("/.") {
                continue; // read by the host, or hidden
            }
            let search_shard = url
                .strip_prefix(&format!("{base_path}/search-index/"))
                .is_some_and(|rest| rest.contains('/'));
            if url.starts_with(&format!("{base_path}/assets/")) || search_shard {
                assert_eq!(values, ["public, max-age=31536000, immutable"], "{url}");
                assets += 1;
            } else if *url == format!("{base_path}/_hd/e.gif") {
                // The demo's [analytics] event file: a cached answer never reaches the log.
                assert_eq!(values, ["no-store"], "{url}");
                event_file = true;
            } else if url.starts_with(&format!("{base_path}/images/"))
                || ["favicon.ico", "icon-192.png", "apple-touch-icon.png"]
                    .iter()
                    .any(|icon| url == &format!("{base_path}/{icon}"))
            {
                assert_eq!(
                    values,
                    Vec::<&str>::new(),
                    "static files, and the icons drawn from one, keep the host's default"
                );
            } else {
                assert_eq!(
                    values,
                    ["public, max-age=0, must-revalidate"],
                    "{url}: exactly one rule, or hosts join the values"
                );
                pages += 1;
            }
        }
        assert!(assets >= 3 && pages > 90, "{assets} assets, {pages} pages");
        assert!(event_file, "the event file is among the outputs");

        let robots = site.read("robots.txt");
        assert!(
            robots
                .lines()
                .any(|l| l == format!("Sitemap: {base_url}/sitemap.xml")),
            "{robots}"
        );
        let redirects: Vec<Vec<String>> = site
            .read("_redirects")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect();
        assert_eq!(
            redirects,
            [[
                format!("{base_path}/returns/"),
                format!("{base_path}/policies/returns/"),
                "301".to_string()
            ]]
        );
    }
}

#[test]
fn every_redirect_leads_to_a_page_that_exists() {
    let site = Site::new(&good_with(&[(
        "content/policies/shipping.md",
        &page(
            "title = \"Shipping\"\nkind = \"policy\"\nupdated = 2026-01-01\naliases = [\"/delivery/\", \"old/ship\", \"/siuntimas-ąž/\"]",
            "x\n",
        ),
    )]));
    site.build();
    let redirects = site.read("_redirects");
    let rules: BTreeSet<(String, String)> = redirects
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{l}");
            assert_eq!(parts[2], "301");
            (parts[0].to_string(), parts[1].to_string())
        })
        .collect();
    let expected: BTreeSet<(String, String)> =
        ["/delivery/", "/old/ship/", "/siuntimas-%C4%85%C5%BE/"]
            .iter()
            .map(|from| (from.to_string(), "/policies/shipping/".to_string()))
            .collect();
    assert_eq!(rules, expected);

    // GitHub Pages has no _redirects: the page at each old path sends the visitor on.
    for (from, to) in &rules {
        let decoded = percent_decode(from);
        let html = site.html(&format!("{}index.html", decoded.trim_start_matches('/')));
        let refresh = select(&html, "meta[http-equiv=refresh]")[0]
            .value()
            .attr("content")
            .unwrap()
            .to_string();
        let target = refresh
            .strip_prefix("0; url=https://help.test.example")
            .expect(&refresh);
        assert_eq!(target, to);
        assert!(
            site.public()
                .join(format!("{}index.html", &to[1..]))
                .is_file()
        );
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_root_404_knows_the_other_languages_and_the_base_path() {
    let site = Site::demo();
    let run = site.run(&["build", "--base-url", "https://shop.example/help"]);
    assert!(run.ok(), "{}", run.stderr);
    let root = site.html("404.html");
    let scripts: Vec<String> = select(&root, "head script:not([src])")
        .iter()
        .map(|s| s.inner_html())
        .collect();
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    assert!(
        scripts[0].contains(r#"var base = "/help", languages = ["lt","pl","zh-Hant","ms"];"#),
        "{}",
        scripts[0]
    );
    assert!(
        select(&site.html("lt/404.html"), "head script:not([src])").is_empty(),
        "a language's own 404 page stays put"
    );
}

#[test]
fn structured_data_urls_follow_the_base_path() {
    let site = Site::demo();
    let run = site.run(&["build", "--base-url", "https://shop.example/help"]);
    assert!(run.ok(), "{}", run.stderr);
    let org = of_type(&site.html("index.html"), "Organization").expect("Organization");
    assert_eq!(org["@id"], "https://shop.example/help/#organization");
    assert_eq!(org["logo"], "https://shop.example/help/images/logo.svg");
    assert_eq!(
        org["hasMerchantReturnPolicy"][0]["merchantReturnLink"],
        "https://shop.example/help/policies/returns/"
    );
    let product =
        of_type(&site.html("lt/products/oak-board/index.html"), "Product").expect("Product");
    assert_eq!(
        product["image"],
        "https://shop.example/help/images/oak-board.svg"
    );
    assert_eq!(
        product["url"],
        "https://shop.example/help/lt/products/oak-board/"
    );
    assert!(site.public().join("images/oak-board.svg").is_file());
}

/// A `size`-pixel square PNG of one colour.
fn square_png(size: u32, [r, g, b]: [u8; 3]) -> Vec<u8> {
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(r, g, b, 255));
    pixmap.encode_png().unwrap()
}

#[test]
fn a_favicon_that_cannot_give_its_sizes_fails_build_and_check_by_name() {
    let config = format!(
        "{}[brand]\nfavicon = \"/images/icon.png\"\n",
        common::CONFIG
    );
    let site = Site::new(&good_with(&[]));
    site.write("helpdeck.toml", &config);
    site.write("static/images/icon.png", square_png(200, [0, 0, 0]));
    site.build();

    site.write("static/images/icon.png", square_png(32, [0, 0, 0]));
    let stderr = site.fails_keeping_output(&["build"]);
    let small = diagnostic(&stderr, "helpdeck.toml", None);
    assert!(
        small.contains("[brand] favicon `images/icon.png` is 32×32 pixels: give at least 180×180"),
        "{small}"
    );
    let check = site.run(&["check"]);
    check.assert_failed_cleanly();
    assert!(check.stdout.contains("is 32×32 pixels"), "{}", check.stdout);

    site.write("static/images/icon.png", "not an image");
    let stderr = site.fails_keeping_output(&["build"]);
    assert!(
        stderr.contains("is not a PNG image helpdeck can read"),
        "{stderr}"
    );

    std::fs::remove_file(site.root().join("static/images/icon.png")).unwrap();
    let stderr = site.fails_keeping_output(&["build"]);
    assert!(
        stderr.contains(
            "[brand] favicon `/images/icon.png` is no file of the site: put the image in static/images/icon.png"
        ),
        "{stderr}"
    );
}

#[test]
fn the_question_box_is_the_shops_own_form_where_it_has_one() {
    let site = Site::demo();
    // Without a form endpoint: a box theme.js shows, answers first, then the email button.
    build_at(&site, BEFORE_HOLIDAYS);
    let html = site.html("lt/index.html");
    let ask = &select(&html, "[data-contact-ask]")[0];
    assert_eq!(ask.value().name(), "div");
    assert!(ask.value().attr("hidden").is_some(), "shown by script only");
    assert_eq!(
        select(&html, "[data-contact-ask] label[for=hd-ask-message]")[0]
            .text()
            .collect::<String>(),
        "Jūsų klausimas"
    );

    // With one: a form that posts without JavaScript, asking where to reply.
    let config = std::fs::read_to_string(site.root().join("helpdeck.toml")).unwrap();
    let config = config.replacen(
        "[contact]\n",
        "[contact]\nform_url = \"https://forms.oakandlinen.example/contact\"\n",
        1,
    );
    assert!(config.contains("form_url"));
    site.write("helpdeck.toml", &config);
    build_at(&site, BEFORE_HOLIDAYS);
    for (path, send) in [("index.html", "Send"), ("lt/index.html", "Siųsti")] {
        let html = site.html(path);
        let form = &select(&html, "form[data-contact-ask]")[0];
        assert_eq!(form.value().attr("hidden"), None, "{path}");
        assert_eq!(form.value().attr("method"), Some("post"));
        assert_eq!(
            form.value().attr("action"),
            Some("https://forms.oakandlinen.example/contact")
        );
        let fields: Vec<(&str, bool)> = select(&html, "form[data-contact-ask] [name]")
            .iter()
            .map(|f| {
                (
                    f.value().attr("name").unwrap(),
                    f.value().attr("required").is_some(),
                )
            })
            .collect();
        assert_eq!(
            fields,
            [("email", true), ("subject", false), ("message", true)],
            "{path}"
        );
        assert_eq!(
            select(&html, "form[data-contact-ask] button")[0]
                .text()
                .collect::<String>(),
            send
        );
    }
}
