"""The events the bounties app hears: a deleted question gives its active bounty back,
and a bounty's end is told in the inbox (by a task)."""

from bounties import services, tasks


def question_deleted(event):
    if event.post_id == event.question_id:
        services.bounty_refund(question_id=event.question_id)


def bounty_closed(event):
    tasks.bounty_closed.delay(event.bounty_id)
