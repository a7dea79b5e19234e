package com.example.shop;

import io.warren.EndpointError;
import io.warren.RemoteError;
import java.util.List;
import java.util.Map;

/** An application's endpoint, outside Warren's packages, for tests of what its failures look like on the wire. */
public class ShopEndpoint {
    public String buy(String item) {
        return lookUp(item);
    }

    private String lookUp(String item) {
        throw new IllegalStateException("no " + item + " left");
    }

    public String find(String instance) {
        throw EndpointError.of("nova.exception", "InstanceNotFound", "Instance " + instance + " could not be found.")
                .withKwargs(Map.of("instance_id", instance));
    }

    public String proxy(String instance) {
        throw new RemoteError("InstanceNotFound", "nova.exception", "Instance " + instance + " could not be found.",
                List.of("Traceback (most recent call last):\n", "  File \"nova/compute.py\", line 7\n"),
                List.of(), Map.of("instance_id", instance));
    }

    public String wrapped(String why) {
        try {
            return lookUp(why);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("wrapped", e);
        }
    }
}
