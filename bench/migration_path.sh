#!/usr/bin/env bash
# Migrating a database made by an older release keeps every row that is not a cache.
#
#   bench/migration_path.sh [OLD_COMMIT]
#
# Loads the demo data with the code of OLD_COMMIT (default: the last commit before issue 13 moved the
# dashboard, the demo and the improvement actions out of experiences) into a fresh PostgreSQL database,
# fingerprints its tables, migrates it with the working tree's code, rebuilds the dashboard rollup as
# the README tells operators to, and compares: experiences and their parts, answers, improvement actions
# and their links to experiences, structures, accounts, the outbox, and the dashboard's daily figures
# (a rebuildable cache: compared after the rebuild on both sides). Prints each table and fails on the
# first difference. Needs PostgreSQL (PGHOST/PGUSER as for psql) and `make install`.
set -euo pipefail

OLD=${1:-43a2c90b10660491f40cf70d47ad93261654bae5}
DB=${MIGRATION_PATH_DB:-spplus_migration_path}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
export DATABASE_URL="postgres://${PGUSER:-postgres}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$DB"
unset REDIS_URL  # eager tasks, local cache: the check needs no worker
export DEBUG=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$ROOT" archive "$OLD" | tar -x -C "$work"

psql_db() { psql -X -q -v ON_ERROR_STOP=1 -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" "$@"; }
psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

# One line per table: its row count and an md5 of its rows in a stable order, ids included (a row that
# kept its content but changed id would break links, open-data ids and e-mailed URLs).
fingerprint() {
    local rollup_table=$1
    psql_db -d "$DB" -At -F $'\t' <<SQL
SELECT 'experiences', count(*), md5(string_agg(concat_ws('|', id, public_id, title, md5(description), status,
       moderation_state, published_at, postal_code, feeling, source, me_too_count, search_vector), ',' ORDER BY id)) FROM experiences_experience;
SELECT 'typologies', count(*), md5(string_agg(concat_ws('|', id, experience_id, typology_id, position, organism_name, postal_code), ',' ORDER BY id))
       FROM experiences_experiencetypology;
SELECT 'assignments', count(*), md5(string_agg(concat_ws('|', id, experience_id, structure_id, position, response_status,
       needs_improvement, published_at, first_response_at), ',' ORDER BY id)) FROM experiences_assignment;
SELECT 'responses', count(*), md5(string_agg(concat_ws('|', id, assignment_id, state, md5(body), formula, signature, published_at,
       adopted_from_id, author_id), ','
       ORDER BY id)) FROM experiences_response;
SELECT 'general_tags', count(*), md5(string_agg(concat_ws('|', id, experience_id, tag, value), ',' ORDER BY id))
       FROM experiences_generaltagvalue;
SELECT 'improvement_actions', count(*), md5(string_agg(concat_ws('|', id, structure_id, title, md5(description), status,
       engaged_on, done_on, is_public, published_at, created_by_id), ',' ORDER BY id)) FROM experiences_improvementaction;
SELECT 'action_links', count(*), md5(string_agg(concat_ws('|', improvementaction_id, experience_id), ','
       ORDER BY improvementaction_id, experience_id)) FROM experiences_improvementaction_experiences;
SELECT 'activities', count(*), md5(string_agg(concat_ws('|', id, experience_id, verb, actor_id, at), ',' ORDER BY id))
       FROM experiences_activity;
SELECT 'structures', count(*), md5(string_agg(concat_ws('|', id, code, name, parent_id, network_id), ',' ORDER BY id))
       FROM structures_structure;
SELECT 'memberships', count(*), md5(string_agg(concat_ws('|', id, user_id, structure_id, role), ',' ORDER BY id))
       FROM structures_membership;
SELECT 'users', count(*), md5(string_agg(concat_ws('|', id, email, password, is_staff, is_moderator), ',' ORDER BY id))
       FROM accounts_user;
SELECT 'outbox', count(*), md5(string_agg(concat_ws('|', id, kind, "to", subject, md5(body_text), md5(body_html), status), ',' ORDER BY id))
       FROM notifications_outboxemail;
SELECT 'dashboard_days', count(*), md5(string_agg(concat_ws('|', kind, target_id, parent_id, day, published, routings,
       answered, total_delay_us, under_48h, under_72h, under_7d, responses, author_useful, author_not_useful,
       visitor_useful), ',' ORDER BY kind, target_id, day)) FROM $rollup_table;
SQL
}

# The demo loader writes no activity nor e-mail: agents answer and link an action with the old code, so
# the activity log, the outbox and the links a service wrote are checked too.
ANSWER_AND_LINK='
from experiences.models import Assignment, ImprovementAction, ResponseStatus
from experiences.services.actions import link_experience
from experiences.services.responses import publish_response, save_draft
from structures.models import Membership, Role
for membership in Membership.objects.filter(role=Role.SUPER_AGENT).select_related("user", "structure")[:5]:
    assignment = Assignment.objects.filter(
        structure__in=membership.structure.get_descendants(include_self=True),
        response_status=ResponseStatus.AWAITING, experience__moderation_state="published").first()
    if assignment is None:
        continue
    draft = save_draft(assignment=assignment, by=membership.user, body="Bonjour, nous avons bien lu votre message. " * 3)
    publish_response(response=draft, by=membership.user)
    action = ImprovementAction.objects.filter(structure=assignment.structure).first()
    if action is not None:
        link_experience(action=action, experience=assignment.experience, by=membership.user)
'

echo "== $OLD: migrate, seed_demo, answer and link, rollup"
(cd "$work" && "$PY" manage.py migrate --noinput -v0 && "$PY" manage.py seed_demo -v0 >/dev/null &&
    "$PY" manage.py shell -c "$ANSWER_AND_LINK" &&
    "$PY" manage.py shell -c "from experiences.services.dashboard_rollup import refresh_rollup; refresh_rollup(full=True)")
fingerprint experiences_dashboardday > "$work/before.txt"

echo "== working tree: migrate, rebuild the rollup"
(cd "$ROOT" && "$PY" manage.py migrate --noinput -v0 &&
    "$PY" manage.py shell -c "from dashboards.services.rollup import refresh_rollup; refresh_rollup(full=True)")
fingerprint dashboards_dashboardday > "$work/after.txt"

paste "$work/before.txt" "$work/after.txt" | awk -F '\t' '{ printf "%-20s %8s rows  %s\n", $1, $2, ($3 == $6 && $2 == $5) ? "same" : "DIFFERENT (" $5 " rows after)" }'
diff -q "$work/before.txt" "$work/after.txt" >/dev/null && echo "Every table is intact." && exit 0
echo "Some tables differ after migrating." >&2
exit 1
