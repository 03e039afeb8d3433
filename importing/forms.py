from django import forms

from importing.checking import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="The CSV file",
        help_text="UTF-8 text, a row of column names, then a row per client.",
        error_messages={"required": "Choose a CSV file.", "empty": "The file is empty."},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is over {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
            )
        return upload
