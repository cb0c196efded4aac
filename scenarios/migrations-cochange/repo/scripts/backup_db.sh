#!/bin/sh
# Nightly backup of the production database (run by cron on the db host).
set -eu
pg_dump --format=custom --file="/var/backups/shop/$(date +%F).dump" "$SHOP_DATABASE_URL"
