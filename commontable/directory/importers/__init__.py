"""Importers for the directory: organisations and people (with their affiliations and contact
consent), declared to the shared pipeline in `core.imports` and registered when this package loads
(from `DirectoryConfig.ready`).

Natural keys — what makes re-importing a file change nothing:

- an organisation is its slug; a row without one is matched by its name (accents, case and
  punctuation folded) and otherwise gets the slug of its name;
- a person is their email (normalised); a row without email is matched by their folded full name
  together with the organisation the row names (or, with no organisation, among people with no
  email and no organisation).

A people row may name an organisation that exists or one on the "Organizations" sheet of the same
workbook; the row then creates (or updates) the person's current affiliation. consent_email,
consent_sms and consent_phone record consent in the ledger (source "import", with the version in
consent_text_version or DEFAULT_CONSENT_VERSION); "no" withdraws consent that is in force.

Writes are bulk and recorded in each record's history (django-simple-history's bulk helpers, with
the import named as the change reason); the import's one audit entry sits on its ImportBatch.
See docs/adr/0003-imports.md.
"""

from commontable.core.imports import register_import
from commontable.directory.importers.organizations import OrganizationImport
from commontable.directory.importers.people import PersonImport

register_import(OrganizationImport())
register_import(PersonImport())
