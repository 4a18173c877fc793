"""What the bounties app tells the rest of the site. Each event is about the question (a
PostChanged: the thread and the Featured list change), `post_id` being the question's."""

from dataclasses import dataclass

from questions.events import PostChanged


@dataclass(frozen=True, kw_only=True)
class BountyStarted(PostChanged):
    bounty_id: int
    offerer_id: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class BountyAwarded(PostChanged):
    """`amount` of the bounty went to the answer `answer_id` by `recipient_id` (None: an
    account that is gone): the whole by the offerer, or half by the periodic task
    (`automatic`)."""

    bounty_id: int
    offerer_id: int | None
    answer_id: int
    recipient_id: int | None
    amount: int
    automatic: bool


@dataclass(frozen=True, kw_only=True)
class BountyExpired(PostChanged):
    """The grace period passed with no award and no answer qualifying for half."""

    bounty_id: int
    offerer_id: int | None


@dataclass(frozen=True, kw_only=True)
class BountyRefunded(PostChanged):
    """The question was deleted while the bounty was active: the offerer got it back."""

    bounty_id: int
    offerer_id: int | None
    amount: int
