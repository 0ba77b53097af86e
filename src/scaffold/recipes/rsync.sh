#!/usr/bin/env bash
# Checks and builds the careers site, then copies it to a web server (rsync)
# or a bucket (S3-compatible object storage, with the aws CLI).
# Written by `openings deploy-recipe rsync` for openings @VERSION@.
#
#   OPENINGS_TARGET=deploy@web.example:/var/www/careers/ bash scripts/deploy.sh
#   OPENINGS_TARGET=s3://careers-bucket bash scripts/deploy.sh
#
# Run it on every push to the default branch (from your CI, or a git
# post-receive hook) and once a day, so postings close on their
# `valid_through` day and open on their `publish_from` day, e.g. with cron
# (@CRON_NOTE@):
#   @CRON@ cd /srv/careers && git pull --ff-only -q && bash scripts/deploy.sh
# `openings check` runs first: an error stops before anything is copied.
# Set OPENINGS_BASE_URL to build a preview for another address.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cache="${OPENINGS_CACHE:-$HOME/.cache/openings}"
@INSTALL@
target="${OPENINGS_TARGET:?set OPENINGS_TARGET to user@host:/path/ or s3://bucket}"

openings check --expiring-within 7d
if [ -n "${OPENINGS_BASE_URL:-}" ]; then
  openings build --base-url "$OPENINGS_BASE_URL"
else
  openings build
fi

case "$target" in
  s3://*)
    # Fingerprinted assets (style.1a2b3c4d.css) never change; everything
    # else is revalidated, as `serve --production` does.
    fingerprinted=(--include '*.????????.css' --include '*.????????.js')
    aws s3 sync public/ "$target" --exclude '*' "${fingerprinted[@]}" \
      --cache-control 'public, max-age=31536000, immutable'
    aws s3 sync public/ "$target" --delete --exclude '*.????????.css' --exclude '*.????????.js' \
      --cache-control 'no-cache'
    ;;
  *)
    # --delete-after: pages go only once the new ones are in place.
    rsync -rlz --checksum --delete-after public/ "$target"
    ;;
esac
