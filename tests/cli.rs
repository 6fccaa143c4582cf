//! The CLI contract: every case in tests/cmd/*.toml runs the real binary in
//! a sandboxed copy of its `<case>.in/` folder and compares exit code,
//! stdout and stderr. Bless intended changes with `TRYCMD=overwrite`.

#[test]
fn cli_contract() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
