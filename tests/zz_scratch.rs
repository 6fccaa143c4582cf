#![allow(clippy::unwrap_used, clippy::print_stdout)]
use designgate::error::line_column;
use designgate::markdown::parse;
#[test]
fn scratch() {
    let root = std::path::Path::new("/work/shared/corpus");
    let mut n = 0;
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let s = std::fs::read_to_string(e.path()).unwrap();
        let d = parse(&s);
        let got: Vec<(usize, String)> = d
            .sections
            .iter()
            .map(|x| {
                (
                    line_column(s.as_bytes(), x.heading.start).0,
                    x.title.clone(),
                )
            })
            .collect();
        // naive
        let mut naive = Vec::new();
        let mut fence: Option<String> = None;
        let mut comment = false;
        for (i, l) in s.lines().enumerate() {
            let t = l.trim_start();
            if let Some(f) = &fence {
                if t.starts_with(f.as_str())
                    && t.trim_start_matches(f.chars().next().unwrap())
                        .trim()
                        .is_empty()
                {
                    fence = None;
                }
                continue;
            }
            if comment {
                if l.contains("-->") {
                    comment = false;
                }
                continue;
            }
            if l.len() - t.len() < 4 && (t.starts_with("```") || t.starts_with("~~~")) {
                let c = t.chars().next().unwrap();
                let k = t.chars().take_while(|&x| x == c).count();
                fence = Some(c.to_string().repeat(k));
                continue;
            }
            if l.len() - t.len() < 4 && t.starts_with("<!--") && !l.contains("-->") {
                comment = true;
                continue;
            }
            if l.starts_with('#') {
                let h = l.trim_start_matches('#');
                if (h.is_empty() || h.starts_with(' ') || h.starts_with('\t'))
                    && l.len() - h.len() <= 6
                {
                    naive.push(i + 1);
                }
            }
        }
        let gl: Vec<usize> = got.iter().map(|x| x.0).collect();
        let missing: Vec<_> = naive.iter().filter(|l| !gl.contains(l)).collect();
        let extra: Vec<_> = got.iter().filter(|x| !naive.contains(&x.0)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            n += 1;
            println!(
                "{} missing={:?} extra={:?}",
                e.path().display(),
                missing,
                extra.iter().take(5).collect::<Vec<_>>()
            );
        }
    }
    println!("{n} files differ");
}
