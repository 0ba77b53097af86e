#!/usr/bin/env bash
# Cloudflare Pages' build command for the careers site.
# Written by `openings deploy-recipe cloudflare` for openings @VERSION@.
#
# Once, in Workers & Pages > your project > Settings > Build:
#   Build command:          bash scripts/cloudflare-build.sh
#   Build output directory: public
#   Build cache:            enabled (it keeps ~/.npm, where openings is kept)
# Production and preview deployments both run this script: `openings check`
# first (an error fails the deployment), then the build; previews are built
# with `--base-url` set to their own address.
# The daily rebuild that closes and opens postings on their day is
# cloudflare/daily-rebuild.js (see cloudflare/wrangler.toml).
set -euo pipefail

# Pages' build cache saves and restores the npm cache folder.
cache="${OPENINGS_CACHE:-$HOME/.npm/_openings}"
@INSTALL@
openings check --expiring-within 7d
if [ "${CF_PAGES_BRANCH:-}" != "" ] && [ "${CF_PAGES_URL:-}" != "" ] && [ "${OPENINGS_PRODUCTION_BRANCH:-main}" != "$CF_PAGES_BRANCH" ]; then
  # A preview deployment: served at its own address.
  openings build --base-url "$CF_PAGES_URL/"
else
  openings build
fi
