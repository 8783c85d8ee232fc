# A throwaway deployment for the integration suite (deploy.sh uses this file unless --no-test).
# The suite registers hundreds of users from one address and fires bursts of concurrent requests,
# so the per-address limits and the stage throttle are raised far above what a product needs;
# the table is unprotected so that destroy.sh can remove everything afterwards.
register_per_minute            = 10000
unknown_user_checks_per_minute = 10000
throttling_rate_limit          = 500
throttling_burst_limit         = 1000
table_deletion_protection      = false
