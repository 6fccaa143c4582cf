//! The CLI contract: every case in tests/cmd/*.toml runs the real binary in
//! a sandboxed copy of its `<case>.in/` folder and compares exit code,
//! stdout and stderr. Bless intended changes with `TRYCMD=overwrite`.
//! `DESIGNGATE_BIN` runs the cases against another build (see
//! tests/support/mod.rs).

#[test]
fn cli_contract() {
    let cases = trycmd::TestCases::new();
    if let Some(bin) = std::env::var_os("DESIGNGATE_BIN").filter(|v| !v.is_empty()) {
        cases.register_bin("designgate", std::path::PathBuf::from(bin));
    }
    cases.case("tests/cmd/*.toml");
}
