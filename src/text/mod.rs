//! Text: how words are found and folded, the same for every stage that compares words.
//!
//! [`tokenize`] turns text into folded search terms (mirrored by the browser's search);
//! [`synonyms`] holds the built-in groups of shop words that mean the same thing. The search
//! index builds on both; related articles compare pages by the same terms. [`sentences`]
//! joins statements as sentences of their language, for the index's plain text.

pub mod sentences;
pub mod synonyms;
pub mod tokenize;
