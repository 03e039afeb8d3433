#!/usr/bin/env bash
# Rebuild Alongside's vendored front-end assets.
#
#   bash assets/build.sh        (from anywhere; needs node + npm)
#
# Installs the exact versions from assets/package-lock.json, compiles
# assets/scss/alongside.scss to static/css/alongside.css, and copies browser
# bundles, MOJ icons, licences and VERSION files into static/vendor/ and
# tests/e2e/vendor/. The outputs are committed; the Django app never runs node.
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${ASSETS_DIR}/.." && pwd)"
NM="${ASSETS_DIR}/node_modules"

STATIC="${ROOT}/static"
CSS_OUT="${STATIC}/css/alongside.css"
GOVUK_OUT="${STATIC}/vendor/govuk-frontend"
MOJ_OUT="${STATIC}/vendor/moj-frontend"
HTMX_OUT="${STATIC}/vendor/htmx"
AXE_OUT="${ROOT}/tests/e2e/vendor"

GOVUK_PKG="${NM}/govuk-frontend"
MOJ_PKG="${NM}/@ministryofjustice/frontend"
HTMX_PKG="${NM}/htmx.org"
AXE_PKG="${NM}/axe-core"

log() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

pkg_version() { node -p "require(process.argv[1]).version" "$1/package.json"; }

# copy_license PACKAGE_DIR DEST_DIR [FALLBACK_FILE]
copy_license() {
  local pkg="$1" dest="$2" fallback="${3:-}" f
  for f in LICENSE LICENSE.txt LICENSE.md LICENCE LICENCE.txt; do
    if [[ -f "${pkg}/${f}" ]]; then
      cp "${pkg}/${f}" "${dest}/LICENSE"
      return
    fi
  done
  [[ -n "${fallback}" && -f "${fallback}" ]] || die "no licence file for ${pkg}"
  cp "${fallback}" "${dest}/LICENSE"
}

# ---------------------------------------------------------------------------
log "Installing pinned packages (npm ci)"
cd "${ASSETS_DIR}"
# --ignore-scripts: nothing we use needs install scripts (sass is pure JS;
# its optional file-watcher addon ships prebuilt).
npm ci --ignore-scripts --no-audit --no-fund

GOVUK_VERSION="$(pkg_version "${GOVUK_PKG}")"
MOJ_VERSION="$(pkg_version "${MOJ_PKG}")"
HTMX_VERSION="$(pkg_version "${HTMX_PKG}")"
AXE_VERSION="$(pkg_version "${AXE_PKG}")"
SASS_VERSION="$(pkg_version "${NM}/sass")"

# ---------------------------------------------------------------------------
log "Compiling scss/alongside.scss -> static/css/alongside.css (sass ${SASS_VERSION})"
mkdir -p "$(dirname "${CSS_OUT}")"
# --load-path=. : MOJ Frontend loads "node_modules/govuk-frontend/..." and our
# entry point uses the same style of path, relative to assets/.
"${NM}/.bin/sass" \
  --load-path=. \
  --style=compressed \
  --no-source-map \
  scss/alongside.scss "${CSS_OUT}"

# Sanity checks on the compiled CSS.
grep -q 'GDS Transport' "${CSS_OUT}" && die "compiled CSS still mentions GDS Transport"
grep -q '@font-face' "${CSS_OUT}" && die "compiled CSS contains @font-face"
grep -qi 'arial' "${CSS_OUT}" || die "compiled CSS does not use arial"
grep -qi 'crest' <(grep -o 'url([^)]*)' "${CSS_OUT}") && die "compiled CSS references a crest image"
bad_urls="$(grep -o 'url([^)]*)' "${CSS_OUT}" | grep -v -E '^url\((["'\'']?)(/static/|data:)' || true)"
[[ -z "${bad_urls}" ]] || die "compiled CSS has url()s outside /static/: ${bad_urls}"

# ---------------------------------------------------------------------------
log "Vendoring govuk-frontend ${GOVUK_VERSION}"
rm -rf "${GOVUK_OUT}"
mkdir -p "${GOVUK_OUT}"
cp "${GOVUK_PKG}/dist/govuk/govuk-frontend.min.js" "${GOVUK_OUT}/"
# The bundle ends with a sourceMappingURL comment; ship the map too so
# Django's ManifestStaticFilesStorage (collectstatic) can resolve it.
cp "${GOVUK_PKG}/dist/govuk/govuk-frontend.min.js.map" "${GOVUK_OUT}/"
copy_license "${GOVUK_PKG}" "${GOVUK_OUT}" "${ASSETS_DIR}/licenses/govuk-frontend-LICENSE.txt"
echo "govuk-frontend ${GOVUK_VERSION}" > "${GOVUK_OUT}/VERSION"

# dist/govuk/assets/: skip fonts (we use Arial) and everything carrying GOV.UK
# Crown branding. In 6.x that is every image (crown favicons and app icons,
# crown Open Graph image, royal crest) plus manifest.json, which only lists
# those icons -- so nothing may be left to copy. Anything else a future
# version ships is copied.
is_govuk_branded() {
  case "$1" in
    fonts/*) return 0 ;;
    manifest.json) return 0 ;;
    images/favicon.*) return 0 ;;
    images/govuk-*) return 0 ;;   # govuk-crest.svg, govuk-icon-*.png/svg, govuk-opengraph-image.png
    *crown*|*crest*) return 0 ;;
  esac
  return 1
}
copied=0
while IFS= read -r -d '' f; do
  rel="${f#"${GOVUK_PKG}/dist/govuk/assets/"}"
  if is_govuk_branded "${rel}"; then
    continue
  fi
  mkdir -p "$(dirname "${GOVUK_OUT}/assets/${rel}")"
  cp "${f}" "${GOVUK_OUT}/assets/${rel}"
  copied=$((copied + 1))
done < <(find "${GOVUK_PKG}/dist/govuk/assets" -type f -print0 | sort -z)
log "  govuk-frontend assets copied: ${copied} (fonts and Crown-branded files skipped)"

# ---------------------------------------------------------------------------
log "Vendoring @ministryofjustice/frontend ${MOJ_VERSION}"
rm -rf "${MOJ_OUT}"
mkdir -p "${MOJ_OUT}/assets/images"
# ES module bundle (self-contained: includes the GOV.UK Frontend base classes
# it needs; exports initAll and the component classes).
cp "${MOJ_PKG}/moj/moj-frontend.min.js" "${MOJ_OUT}/"
cp "${MOJ_PKG}/moj/moj-frontend.min.js.map" "${MOJ_OUT}/"
# Component icons referenced by the compiled CSS (filter, timeline, progress
# bar, rich text editor, ...). Logos, crests, touch icons and Open Graph
# images are branding and are not copied.
cp "${MOJ_PKG}"/moj/assets/images/icon-* "${MOJ_OUT}/assets/images/"
copy_license "${MOJ_PKG}" "${MOJ_OUT}" "${ASSETS_DIR}/licenses/moj-frontend-LICENSE.txt"
echo "@ministryofjustice/frontend ${MOJ_VERSION}" > "${MOJ_OUT}/VERSION"

# Every url() in the CSS must resolve to a vendored file.
while IFS= read -r u; do
  path="${u#url(}"; path="${path%)}"; path="${path//\"/}"; path="${path//\'/}"
  [[ "${path}" == data:* ]] && continue
  [[ -f "${ROOT}${path}" ]] || die "CSS references missing file ${path}"
done < <(grep -o 'url([^)]*)' "${CSS_OUT}" | sort -u)

# ---------------------------------------------------------------------------
log "Vendoring htmx.org ${HTMX_VERSION}"
case "${HTMX_VERSION}" in 2.*) ;; *) die "expected htmx 2.x, got ${HTMX_VERSION}" ;; esac
rm -rf "${HTMX_OUT}"
mkdir -p "${HTMX_OUT}"
cp "${HTMX_PKG}/dist/htmx.min.js" "${HTMX_OUT}/"
copy_license "${HTMX_PKG}" "${HTMX_OUT}"
echo "htmx.org ${HTMX_VERSION}" > "${HTMX_OUT}/VERSION"

# ---------------------------------------------------------------------------
log "Vendoring axe-core ${AXE_VERSION} (tests only)"
mkdir -p "${AXE_OUT}"
cp "${AXE_PKG}/axe.min.js" "${AXE_OUT}/axe.min.js"
copy_license "${AXE_PKG}" "${AXE_OUT}"
echo "axe-core ${AXE_VERSION}" > "${AXE_OUT}/VERSION"

# ---------------------------------------------------------------------------
log "Done"
for f in "${CSS_OUT}" \
         "${GOVUK_OUT}/govuk-frontend.min.js" \
         "${MOJ_OUT}/moj-frontend.min.js" \
         "${HTMX_OUT}/htmx.min.js" \
         "${AXE_OUT}/axe.min.js"; do
  printf '    %8d  %s\n' "$(wc -c < "${f}")" "${f#"${ROOT}/"}"
done
