// typst allocates many small, short-lived values from several threads at
// once; mimalloc serves that pattern faster than the system allocator
// (benches/build.rs measures the difference).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    contextpack::cli::main()
}
