//! style/main.css stays well formed. A block left open (easy to do when two branches append
//! sections at the end) makes every later rule a nested one: valid CSS nesting, so neither the
//! build nor the browser complains, and the styles silently stop applying.

#[test]
fn braces_balance_and_every_section_starts_at_the_top_level() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/main.css"))
        .unwrap_or_default();
    assert!(css.len() > 1000, "style/main.css not read");
    let mut depth = 0i32;
    let mut rest = css.as_str();
    let mut misplaced = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            let end = after.find("*/").map_or(after.len(), |i| i + 2);
            let comment = &after[..end];
            if comment.starts_with(" == ") && depth != 0 {
                misplaced.push(comment.lines().next().unwrap_or_default().to_string());
            }
            rest = &after[end..];
            continue;
        }
        let mut chars = rest.chars();
        match chars.next() {
            Some('{') => depth += 1,
            Some('}') => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "a '}}' closes nothing");
        rest = chars.as_str();
    }
    assert!(
        misplaced.is_empty(),
        "sections inside an open block: {misplaced:?}"
    );
    assert_eq!(depth, 0, "a block is left open");
}
