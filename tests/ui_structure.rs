//! Structure rules of the app's code that the compiler does not check: the shared components
//! (`src/ui/components`) are leaves. They never reach for the wizard's editor
//! (`src/ui/editor.rs`); the form controls get the draft through `components::draft_form`.

use std::fs;
use std::path::Path;

#[test]
fn no_component_imports_the_editor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/components");
    let mut checked = 0;
    let mut offenders = Vec::new();
    for entry in fs::read_dir(&dir).expect("src/ui/components is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a component file is readable");
        checked += 1;
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("ui::editor") || code.contains("super::super::editor") {
                offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        checked >= 10,
        "only {checked} component files found in {}",
        dir.display()
    );
    assert!(
        offenders.is_empty(),
        "components import the editor:\n{}",
        offenders.join("\n")
    );
}
