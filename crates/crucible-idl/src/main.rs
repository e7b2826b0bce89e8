//! `crucible-idl <out-dir> [program-dir ...]`: builds each program's IDL with anchor-lang-idl's
//! builder (the code behind `anchor idl build`) and writes `<out-dir>/<program_name>.json`.
//! Without program directories it builds every directory under `programs/`.
//!
//! The builder runs `cargo test __anchor_private_print_idl --features idl-build` in the
//! program's directory with `RUSTFLAGS=-A warnings`; run this with its own `CARGO_TARGET_DIR`
//! so that those flags do not invalidate the main build (scripts/idl.sh does).

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: crucible-idl <out-dir> [program-dir ...]");
        return ExitCode::from(2);
    };
    let mut programs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if programs.is_empty() {
        let Ok(entries) = std::fs::read_dir("programs") else {
            eprintln!("crucible-idl: run from the workspace root (no programs/ here)");
            return ExitCode::from(2);
        };
        programs = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("Cargo.toml").exists())
            .collect();
        programs.sort();
    }
    // The builder would run `cargo +<toolchain>` when rustup's variable is set (as it is under
    // `cargo run`); the toolchain in effect is the one we want.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("crucible-idl: cannot create {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    for program in programs {
        let path = match program.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("crucible-idl: {}: {e}", program.display());
                return ExitCode::FAILURE;
            }
        };
        let idl = match anchor_lang_idl::build::IdlBuilder::new()
            .program_path(path.clone())
            .resolution(true)
            .build()
        {
            Ok(idl) => idl,
            Err(e) => {
                eprintln!("crucible-idl: building the IDL of {} failed: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let file = out_dir.join(format!("{}.json", idl.metadata.name));
        let json = serde_json::to_string_pretty(&idl).expect("an IDL serializes") + "\n";
        if let Err(e) = std::fs::write(&file, json) {
            eprintln!("crucible-idl: cannot write {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
        println!("{}", file.display());
    }
    ExitCode::SUCCESS
}
