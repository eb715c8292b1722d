//! A file holding project forms and a department-wide one (jixiao's own print of a unit's
//! declarations): each part read by its own reader, in the order of the file.

fn repo(path: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn project_forms_then_a_department_wide_one_and_a_project_after_it() {
    let seed = String::from_utf8(repo("tests/data/seed_2024_shanghai.txt")).unwrap();
    let dept = String::from_utf8(repo("tests/data/demo/department_2024.txt")).unwrap();
    let next = String::from_utf8(repo("tests/data/demo/transport_2025.txt")).unwrap();
    let text = format!("{seed}\n\n{dept}\n\n{next}");
    let read =
        jixiao_form::read_form("mixed.txt", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<(String, i32, bool)> = read
        .form
        .projects
        .iter()
        .map(|p| (p.name.clone(), p.year, p.is_department_wide()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("交通工具购置及更新".to_string(), 2024, false),
            ("减污降碳工作专项经费".to_string(), 2024, false),
            (
                jixiao_model::DEPARTMENT_TARGETS_NAME.to_string(),
                2024,
                true
            ),
            ("交通工具购置及更新".to_string(), 2025, false),
        ]
    );
    // The department-wide part is read as alone: its 13 indicators, nothing of the project after.
    let dept = &read.form.projects[2];
    assert_eq!(dept.indicators.len(), 13);
    assert_eq!(dept.indicators.iter().filter(|i| i.core).count(), 5);
    // Read the same as when read alone (but for the lines its indicators start on).
    let alone = jixiao_form::read_form("department_2024.txt", dept_bytes().as_slice())
        .unwrap_or_else(|e| panic!("{e}"));
    let without_lines = |p: &jixiao_model::Project| {
        let mut p = p.clone();
        p.indicators.iter_mut().for_each(|i| i.line = None);
        p
    };
    assert_eq!(without_lines(&alone.form.projects[0]), without_lines(dept));
}

fn dept_bytes() -> Vec<u8> {
    repo("tests/data/demo/department_2024.txt")
}
