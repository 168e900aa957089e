"""Sentences and names of the admin's libraries (Django's admin, django-simple-history,
django-import-export, django-axes) that the project translates itself, in locale/*/django.po.

Translations under LOCALE_PATHS take precedence over a library's own, so these fix
its wording in Russian and Azerbaijani: the model's word reaches Django's delete pages
in the case the sentence needs (GrammarAdminMixin passes the object form, «статью»,
«məqaləni», and the counted one, «5 статей»); a quote inside Django's Russian tooltip
text no longer cuts the HTML attribute short; simple-history and django-import-export
ship no Azerbaijani, nor does django-axes (the admin would show their Russian, Django's
fallback language, or English).
makemessages keeps only msgids it finds in the project, hence this list: nothing
imports it for its values.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

DJANGO_ADMIN = (
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the "
        "following objects and their related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related "
        "objects, but your account doesn't have permission to delete the following "
        "types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Change history: %s"),  # Azerbaijani: "date of change" in Django's
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    # The list filter heading: the field's name alone, as Django's Russian has it.
    gettext_noop(" By %(filter_title)s "),
    # The icons beside a related field.
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    # django.contrib.auth's plural, which the admin only shows capitalised (the menu, the
    # breadcrumbs): Python's "i".upper() is the dotless «I», Azerbaijani needs «İ».
    gettext_noop("users"),
    # The submit row: Django's Russian says «другой объект», «новый объект».
    gettext_noop("Save and add another"),
    gettext_noop("Save as new"),
)

SIMPLE_HISTORY = (
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Revert %s"),
    gettext_noop("Revert"),
    gettext_noop("View history: %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
)

# The import and export pages; "Delete" (a row's fate in the import preview) is left
# to Django's catalog, where it names the delete button.
IMPORT_EXPORT = (
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop("Submit"),
    gettext_noop("Select all"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the "
        "results, click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Update"),
    gettext_noop("Skipped"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it "
        "using the form above."
    ),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the "
        "correct format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
)

# django-axes (the login-throttling logs): its names in the admin's menu and lists.
AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
)

# Django's month in a date («9 августа 2024 г.», DATE_FORMAT's "E"): in Azerbaijani it is
# written in lower case, «9 avqust 2024», as the search's date chips write it
# (search/periods.py); Django's Azerbaijani capitalises it. (Not the admin's: every page's.)
MONTHS_IN_DATES = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
