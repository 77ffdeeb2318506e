package io.steward.server.alerts;

import io.steward.server.api.AlertAction;
import io.steward.server.api.AlertRuleAction;
import io.steward.server.api.AlertRuleView;
import io.steward.server.api.AlertView;
import io.steward.server.api.Endpoint;
import io.steward.server.api.Role;
import io.steward.server.api.SilenceAction;
import io.steward.server.api.SilenceState;
import io.steward.server.api.SilenceView;
import java.util.ArrayList;
import java.util.List;

/**
 * What a staff member may do with an alert, a rule or a silence now: the states that allow it,
 * narrowed by what the reader's role may call. Sent as {@code actions}, so that a client enables its
 * buttons from them and keeps no rules of its own.
 */
final class AlertActions {
    private AlertActions() {}

    static List<AlertAction> of(AlertView alert, Role reader) {
        var allowed = new ArrayList<AlertAction>();
        if (alert.state().open() && !alert.silenced() && may(Endpoint.SILENCE_CREATE, reader)) {
            allowed.add(AlertAction.SILENCE);
        }
        if (alert.state().open() && alert.acknowledged() == null && may(Endpoint.ALERT_ACKNOWLEDGE, reader)) {
            allowed.add(AlertAction.ACKNOWLEDGE);
        }
        return allowed;
    }

    static List<AlertRuleAction> of(AlertRuleView rule, Role reader) {
        var allowed = new ArrayList<AlertRuleAction>();
        if (may(Endpoint.ALERT_RULE_UPDATE, reader)) {
            allowed.add(AlertRuleAction.EDIT);
        }
        if (may(Endpoint.ALERT_RULE_DELETE, reader)) {
            allowed.add(AlertRuleAction.DELETE);
        }
        return allowed;
    }

    static List<SilenceAction> of(SilenceView silence, Role reader) {
        return silence.state() == SilenceState.ACTIVE && may(Endpoint.SILENCE_DELETE, reader)
                ? List.of(SilenceAction.END)
                : List.of();
    }

    private static boolean may(Endpoint endpoint, Role reader) {
        return endpoint.permission().allows(reader);
    }
}
