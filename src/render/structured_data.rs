//! Structured data: the schema.org JSON-LD of each page, in the shapes Google documents for
//! rich results.
//!
//! Every page gets a BreadcrumbList; FAQ and product pages a FAQPage; each home page the shop's
//! Organization (contact point with hours and holidays, return policies, shipping services,
//! from `[contact]` and `data/shop.toml`); a product page with a price a Product whose Offer
//! names the Organization by `@id` and carries the product's own return or shipping terms.

use serde_json::{Value, json};

use super::markdown::Question;
use super::site_context::asset_url;
use crate::config::{Address, Config, Holiday, WEEKDAYS, parse_opening_hours};
use crate::load::Product;
use crate::load::shop::{Country, DayRange, Money, Refund, ReturnMethod, Returns, Shipping};
use crate::resolve::{Page, Site};

const SCHEMA: &str = "https://schema.org";

/// The page's ancestors, home first, then the page itself.
pub fn breadcrumb_list(site: &Site, page: &Page) -> Value {
    let origin = site.origin();
    let items: Vec<Value> = page
        .ancestors()
        .iter()
        .map(|&id| site.page(id))
        .chain(std::iter::once(page))
        .enumerate()
        .map(|(i, p)| {
            json!({"@type": "ListItem", "position": i + 1, "name": p.doc.meta.title, "item": format!("{origin}{}", p.url)})
        })
        .collect();
    json!({"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": items})
}

pub fn faq_page(questions: &[Question]) -> Value {
    let entities: Vec<Value> = questions
        .iter()
        .map(|q| {
            json!({
                "@type": "Question",
                "name": q.question,
                "acceptedAnswer": {"@type": "Answer", "text": q.answer.trim()},
            })
        })
        .collect();
    json!({"@context": SCHEMA, "@type": "FAQPage", "mainEntity": entities})
}

/// The Organization's `@id`, by which other pages refer to it.
fn organization_id(config: &Config) -> String {
    format!("{}/#organization", config.base_url)
}

/// The shop as an Organization, for the home page of `lang`. Holidays that ended before
/// `today` are left out.
pub fn organization(site: &Site, lang: &str, today: jiff::civil::Date) -> Value {
    let config = &site.config;
    let contact = &config.contact;
    let mut org = json!({
        "@context": SCHEMA,
        "@type": "Organization",
        "@id": organization_id(config),
        "name": config.shop.name.as_deref().unwrap_or(&config.title),
        "url": config.brand.shop_url.clone().unwrap_or_else(|| format!("{}/", config.base_url)),
    });
    let mut set = |key: &str, value: Value| {
        if let Some(object) = org.as_object_mut() {
            object.insert(key.to_string(), value);
        }
    };
    let shop = &config.shop;
    if let Some(legal_name) = &shop.legal_name {
        set("legalName", json!(legal_name));
    }
    if let Some(address) = &shop.address {
        set("address", postal_address(address));
    }
    if let Some(vat_number) = &shop.vat_number {
        set("vatID", json!(vat_number));
    }
    if let Some(logo) = &config.brand.logo {
        set("logo", json!(asset_url(&config.base_url, logo)));
    }
    if let Some(email) = &contact.email {
        set("email", json!(email));
    }
    if let Some(phone) = &contact.phone {
        set("telephone", json!(phone));
    }
    if let Some(marketplace) = &contact.marketplace_url {
        set("sameAs", json!([marketplace]));
    }
    if contact.email.is_some() || contact.phone.is_some() || contact.chat_url.is_some() {
        set("contactPoint", contact_point(config, today));
    }
    let policy_link = |policy: &str| site.policy_page(lang, policy).map(|p| site.permalink(p));
    if let Some(returns) = &site.terms().returns {
        set(
            "hasMerchantReturnPolicy",
            json!(return_policies(
                returns,
                returns.window_days,
                policy_link("returns")
            )),
        );
    }
    if let Some(shipping) = &site.terms().shipping {
        set(
            "hasShippingService",
            json!(shipping_services(shipping, config)),
        );
    }
    org
}

fn contact_point(config: &Config, today: jiff::civil::Date) -> Value {
    let contact = &config.contact;
    let mut point = json!({
        "@type": "ContactPoint",
        "contactType": "customer support",
        "availableLanguage": config.language_tags(),
    });
    if let Some(object) = point.as_object_mut() {
        for (key, value) in [
            ("email", &contact.email),
            ("telephone", &contact.phone),
            ("url", &contact.chat_url),
        ] {
            if let Some(value) = value {
                object.insert(key.into(), json!(value));
            }
        }
        let mut hours = weekly_hours(config);
        hours.extend(
            config
                .holidays
                .iter()
                .filter(|h| h.last >= today)
                .map(closed_on),
        );
        if !hours.is_empty() {
            object.insert("hoursAvailable".into(), json!(hours));
        }
    }
    point
}

/// `[contact.hours]` as OpeningHoursSpecifications, one per distinct opening time.
fn weekly_hours(config: &Config) -> Vec<Value> {
    let mut groups: Vec<((String, String), Vec<String>)> = Vec::new();
    for day in WEEKDAYS {
        let Some((open, close)) = config
            .contact
            .hours
            .get(day)
            .and_then(|h| parse_opening_hours(h))
            .filter(|(open, _)| !open.is_empty())
        else {
            continue;
        };
        let day_url = format!("{SCHEMA}/{}", day_name(day));
        match groups
            .iter_mut()
            .find(|(times, _)| *times == (open.clone(), close.clone()))
        {
            Some((_, days)) => days.push(day_url),
            None => groups.push(((open, close), vec![day_url])),
        }
    }
    groups
        .into_iter()
        .map(|((opens, closes), days)| {
            json!({"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes})
        })
        .collect()
}

/// schema.org's form for "closed all day": opening and closing at midnight.
fn closed_on(holiday: &Holiday) -> Value {
    json!({
        "@type": "OpeningHoursSpecification",
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": holiday.first.to_string(),
        "validThrough": holiday.last.to_string(),
    })
}

fn day_name(day: &str) -> &'static str {
    match day {
        "mon" => "Monday",
        "tue" => "Tuesday",
        "wed" => "Wednesday",
        "thu" => "Thursday",
        "fri" => "Friday",
        "sat" => "Saturday",
        _ => "Sunday",
    }
}

/// One MerchantReturnPolicy per fee group: free return label, or return postage paid by the
/// buyer. `window_days` 0 means the items cannot be returned.
fn return_policies(returns: &Returns, window_days: u32, link: Option<String>) -> Vec<Value> {
    [
        (&returns.free_label_countries, "FreeReturn"),
        (
            &returns.buyer_pays_countries,
            "ReturnFeesCustomerResponsibility",
        ),
    ]
    .into_iter()
    .filter(|(countries, _)| !countries.is_empty())
    .map(|(countries, fees)| {
        let mut policy = json!({
            "@type": "MerchantReturnPolicy",
            "applicableCountry": codes(countries),
        });
        let Some(object) = policy.as_object_mut() else {
            return policy;
        };
        if let Some(country) = &returns.return_country {
            object.insert("returnPolicyCountry".into(), json!(country.0));
        }
        if window_days == 0 {
            object.insert(
                "returnPolicyCategory".into(),
                json!(format!("{SCHEMA}/MerchantReturnNotPermitted")),
            );
        } else {
            let method = match returns.method {
                ReturnMethod::ByMail => "ReturnByMail",
                ReturnMethod::InStore => "ReturnInStore",
                ReturnMethod::AtKiosk => "ReturnAtKiosk",
            };
            object.insert(
                "returnPolicyCategory".into(),
                json!(format!("{SCHEMA}/MerchantReturnFiniteReturnWindow")),
            );
            object.insert("merchantReturnDays".into(), json!(window_days));
            object.insert("returnMethod".into(), json!(format!("{SCHEMA}/{method}")));
            object.insert("returnFees".into(), json!(format!("{SCHEMA}/{fees}")));
            if let Some(refund) = returns.refund {
                let refund = match refund {
                    Refund::Full => "FullRefund",
                    Refund::Exchange => "ExchangeRefund",
                    Refund::StoreCredit => "StoreCreditRefund",
                };
                object.insert("refundType".into(), json!(format!("{SCHEMA}/{refund}")));
            }
        }
        if let Some(link) = &link {
            object.insert("merchantReturnLink".into(), json!(link));
        }
        policy
    })
    .collect()
}

/// One ShippingService per zone; a zone with free shipping over an order value gets a free
/// condition above it and its price below it.
fn shipping_services(shipping: &Shipping, config: &Config) -> Vec<Value> {
    let business_days: Vec<String> = WEEKDAYS
        .iter()
        .filter(|day| {
            config
                .contact
                .hours
                .get(**day)
                .and_then(|h| parse_opening_hours(h))
                .is_some_and(|(open, _)| !open.is_empty())
        })
        .map(|day| format!("{SCHEMA}/{}", day_name(day)))
        .collect();
    let mut handling =
        json!({"@type": "ServicePeriod", "duration": days(shipping.processing_days)});
    if !business_days.is_empty() {
        if let Some(object) = handling.as_object_mut() {
            object.insert(
                "businessDays".into(),
                json!({"@type": "OpeningHoursSpecification", "dayOfWeek": business_days}),
            );
        }
    }
    shipping
        .zones
        .iter()
        .enumerate()
        .filter(|(_, zone)| !zone.countries.is_empty())
        .map(|(i, zone)| {
            let condition = |rate: Value, order_value: Option<Value>| {
                let mut condition = json!({
                    "@type": "ShippingConditions",
                    "shippingDestination": regions(&zone.countries),
                    "shippingRate": rate,
                    "transitTime": {"@type": "ServicePeriod", "duration": days(zone.days)},
                });
                if let (Some(object), Some(order_value)) = (condition.as_object_mut(), order_value)
                {
                    object.insert("orderValue".into(), order_value);
                }
                condition
            };
            let conditions = match &shipping.free_over {
                Some((threshold, zone_index)) if *zone_index == i => vec![
                    condition(
                        money(&zone.price),
                        Some(json!({"@type": "MonetaryAmount", "maxValue": threshold.amount, "currency": threshold.currency})),
                    ),
                    condition(
                        money(&Money { amount: 0.0, currency: zone.price.currency.clone() }),
                        Some(json!({"@type": "MonetaryAmount", "minValue": threshold.amount, "currency": threshold.currency})),
                    ),
                ],
                _ => vec![condition(money(&zone.price), None)],
            };
            json!({
                "@type": "ShippingService",
                "name": zone.name,
                "handlingTime": handling,
                "shippingConditions": conditions,
            })
        })
        .collect()
}

/// A product page's Product, when it has a price: its Offer is sold by the Organization and
/// carries the product's own return window or processing time where front matter sets them.
pub fn product(site: &Site, page: &Page, product: &Product) -> Option<Value> {
    let price = product.price.as_ref()?;
    let permalink = site.permalink(page);
    let mut offer = json!({
        "@type": "Offer",
        "price": price.amount,
        "priceCurrency": price.currency,
        "url": product.url.as_deref().unwrap_or(&permalink),
        "seller": {"@id": organization_id(&site.config)},
    });
    if let Some(object) = offer.as_object_mut() {
        if let Some(availability) = product.availability {
            object.insert(
                "availability".into(),
                json!(format!("{SCHEMA}/{}", availability.schema_name())),
            );
        }
        if let (Some(days), Some(returns)) = (product.return_window_days, &site.terms().returns) {
            object.insert(
                "hasMerchantReturnPolicy".into(),
                json!(return_policies(returns, days, None)),
            );
        }
        if let (Some(handling), Some(shipping)) = (product.processing_days, &site.terms().shipping)
        {
            object.insert(
                "shippingDetails".into(),
                json!(offer_shipping(shipping, handling)),
            );
        }
    }
    let mut value = json!({
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.name,
        "url": permalink,
        "offers": offer,
    });
    if let Some(object) = value.as_object_mut() {
        if let Some(sku) = &product.sku {
            object.insert("sku".into(), json!(sku));
        }
        if let Some(gtin) = &product.gtin {
            object.insert("gtin".into(), json!(gtin));
        }
        if let Some(brand) = &product.brand {
            object.insert("brand".into(), json!({"@type": "Brand", "name": brand}));
        }
        let description = product.description.as_ref();
        if let Some(description) = description.or(page.doc.meta.description.as_ref()) {
            object.insert("description".into(), json!(description));
        }
        if let Some(image) = &product.image {
            // Site-absolute like every image path: under the base path, as the page shows it.
            object.insert(
                "image".into(),
                json!(asset_url(&site.config.base_url, image)),
            );
        }
    }
    Some(value)
}

fn postal_address(address: &Address) -> Value {
    let mut postal = serde_json::Map::new();
    postal.insert("@type".into(), json!("PostalAddress"));
    for (key, value) in [
        ("streetAddress", &address.street),
        ("postalCode", &address.postcode),
        ("addressLocality", &address.city),
        ("addressRegion", &address.region),
        ("addressCountry", &address.country),
    ] {
        if let Some(value) = value {
            postal.insert(key.into(), json!(value));
        }
    }
    Value::Object(postal)
}

/// OfferShippingDetails per zone, with the product's own handling time.
fn offer_shipping(shipping: &Shipping, handling: DayRange) -> Vec<Value> {
    shipping
        .zones
        .iter()
        .filter(|zone| !zone.countries.is_empty())
        .map(|zone| {
            json!({
                "@type": "OfferShippingDetails",
                "shippingDestination": regions(&zone.countries),
                "shippingRate": money(&zone.price),
                "deliveryTime": {
                    "@type": "ShippingDeliveryTime",
                    "handlingTime": days(handling),
                    "transitTime": days(zone.days),
                },
            })
        })
        .collect()
}

fn days(range: DayRange) -> Value {
    json!({"@type": "QuantitativeValue", "minValue": range.min, "maxValue": range.max, "unitCode": "DAY"})
}

fn money(amount: &Money) -> Value {
    json!({"@type": "MonetaryAmount", "value": amount.amount, "currency": amount.currency})
}

fn regions(countries: &[Country]) -> Vec<Value> {
    countries
        .iter()
        .map(|c| json!({"@type": "DefinedRegion", "addressCountry": c.0}))
        .collect()
}

fn codes(countries: &[Country]) -> Vec<&str> {
    countries.iter().map(|c| c.0.as_str()).collect()
}
