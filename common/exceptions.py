"""The one way a business step says no: views turn a refusal into a message for the person who asked."""


class Refused(Exception):
    """The step cannot be done; the message says why, in French, for the person who asked.

    `field` names the form field the message belongs to, if any, so a view can show it there.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
