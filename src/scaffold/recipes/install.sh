# openings, installed once per version into "$cache" and reused from there.
version="${OPENINGS_VERSION:-@VERSION@}"
export PATH="$cache/bin:$PATH"
case "$(openings --version 2>/dev/null)" in
  "openings $version" | "openings $version "*) echo "openings $version from the cache" ;;
  *)
    if ! command -v cargo >/dev/null 2>&1; then
      # No Rust on this machine: a minimal toolchain, for this build only.
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --no-modify-path
      export PATH="$HOME/.cargo/bin:$PATH"
    fi
    cargo install openings --version "$version" --locked --root "$cache"
    ;;
esac
