package io.warren;

/** Where an RPC client receives its replies (Warren option {@code warren_rpc_reply_mode}). */
public enum ReplyMode {
    /**
     * oslo's way: one {@code reply_<uuid>} queue per connector, declared with oslo's flags. Works with
     * every oslo.messaging server. Option value {@code oslo}; the default.
     */
    OSLO("oslo"),
    /**
     * RabbitMQ's direct reply-to pseudo queue {@code amq.rabbitmq.reply-to}: no queue to declare.
     * Option value {@code direct}.
     */
    DIRECT("direct");

    private final String optionValue;

    ReplyMode(String optionValue) {
        this.optionValue = optionValue;
    }

    /** @return the value as written in configuration: {@code oslo} or {@code direct} */
    public String optionValue() {
        return optionValue;
    }
}
