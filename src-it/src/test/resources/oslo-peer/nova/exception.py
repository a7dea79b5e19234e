"""The shape of nova.exception: a base class formatting msg_fmt with the keyword arguments.

Warren's tests raise and rebuild these through oslo.messaging's allowed_remote_exmods, as a
Python service rebuilds nova's own exceptions.
"""


class NovaException(Exception):
    msg_fmt = "An unknown exception occurred."

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            message = self.msg_fmt % kwargs
        self.message = message
        super().__init__(message)


class NotFound(NovaException):
    msg_fmt = "Resource could not be found."


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."
