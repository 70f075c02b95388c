"""Invented English story paragraphs shared by the text-dump cleaner's rule tests (importable as
``cleantexts``: ``tests`` is on the path, see ``conftest.py``)."""

PROSE = [
    "The city council voted on Tuesday to approve a new budget that includes funding for schools, parks and road repairs across the district.",
    "Officials said the plan would be paid for by a combination of higher fees and savings from a restructuring of the transport department.",
    "Several residents who attended the meeting said they were worried that the changes would not be enough to fix the roads in their area.",
    "The mayor is expected to sign the budget next week, after which the first projects could begin as early as the spring of next year.",
]
HEADLINE = "Council approves the new city budget"
