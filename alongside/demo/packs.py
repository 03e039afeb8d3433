"""Demo configuration, for `manage.py demo_data`: Ravi (Early Help's agency admin) brought in the agency's
own plan template and review meeting type with a pack, as an agency would. The shipped templates ("Team
Around the Family plan", "Moving on plan (leaving care)") come with Alongside itself."""

from typing import Any

from packs import services as pack_services

EARLY_HELP_PACK = {
    "format": "alongside-pack",
    "version": 1,
    "organisation": "Northbridge Council Early Help",
    "plan_templates": [
        {
            "name": "Early help: money and home",
            "description": "Northbridge Early Help's plan for families behind with the rent or bills.",
            "goals": [
                {
                    "in_own_words": "Keep on top of the bills",
                    "success_looks_like": "No new arrears for three months.",
                    "review_in_days": 28,
                    "actions": [
                        {
                            "what": "Book a session with Northbridge Money Advice",
                            "due_in_days": 7,
                            "owner": None,
                        },
                        {"what": "List every bill and when it is due", "due_in_days": 14, "owner": "client"},
                    ],
                },
                {
                    "in_own_words": "Have enough food in the house",
                    "review_in_days": 14,
                    "actions": [{"what": "Register with the food bank", "due_in_days": 3, "owner": None}],
                },
            ],
        }
    ],
    "meeting_types": [
        {
            "name": "Early help review",
            "family_invited": True,
            "minutes_due_working_days": 5,
            "standard_agenda": [
                "Progress on the plan",
                "What has changed for the family",
                "What needs to happen next",
            ],
        }
    ],
}


def load(people: dict[str, Any]) -> None:
    pack_services.pack_apply(actor=people["ravi"], pack=EARLY_HELP_PACK)
