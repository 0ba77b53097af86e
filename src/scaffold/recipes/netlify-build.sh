#!/usr/bin/env bash
# Netlify's build command for the careers site (see netlify.toml).
# Written by `openings deploy-recipe netlify` for openings @VERSION@.
set -euo pipefail

# Netlify keeps /opt/build/cache between builds.
cache="${OPENINGS_CACHE:-/opt/build/cache/openings}"
[ -d /opt/build/cache ] || cache="${OPENINGS_CACHE:-$HOME/.cache/openings}"
@INSTALL@
openings check --expiring-within 7d
case "${CONTEXT:-production}" in
  production) openings build ;;
  # Deploy previews and branch deploys live at their own address.
  *) openings build --base-url "${DEPLOY_PRIME_URL:?Netlify sets DEPLOY_PRIME_URL}/" ;;
esac
