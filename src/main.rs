fn main() -> std::process::ExitCode {
    contextpack::cli::main()
}
