"""All five keylink resources from Python, through the generated SDK (sdk/python) and the plugin."""

import pulumi
import pulumi_keylink as keylink

cfg = pulumi.Config()

uplink_key = keylink.alibaba.MacsecKeyAssociation(
    "uplinkKey",
    region="cn-hangzhou",
    physical_connection_id="pc-demo0001",
    cipher_suite="GCM-AES-XPN-256",
    ckn=cfg.require("ckn"),
    cak=cfg.require_secret("cak"),
)

branch_ipsec = keylink.alibaba.VpnConnectionConfig(
    "branchIpsec",
    region="cn-hangzhou",
    vpn_connection_id="vco-demo0001",
    ike_config=keylink.alibaba.VpnConnectionConfigIkeConfigArgs(
        psk=cfg.require_secret("psk"),
        ike_version="ikev2",
        ike_enc_alg="aes256",
        ike_auth_alg="sha256",
        ike_pfs="group14",
        ike_lifetime=28800,
    ),
    ipsec_config=keylink.alibaba.VpnConnectionConfigIpsecConfigArgs(
        ipsec_enc_alg="aes256",
        ipsec_auth_alg="sha256",
        ipsec_pfs="group14",
        ipsec_lifetime=3600,
    ),
    enable_dpd=True,
    restore_on_delete=True,
)

byok_material = keylink.alibaba.ImportedKeyMaterial(
    "byokMaterial",
    region="cn-hangzhou",
    key_id="key-byok-demo-0001",
    key_material=cfg.require_secret("keyMaterial"),
)

orders_replica = keylink.volcengine.ReplicaKey(
    "ordersReplica",
    keyring_name="orders",
    key_name="mrk-orders",
    primary_region="cn-beijing",
    replica_region="cn-shanghai",
    description="Orders key, Shanghai replica",
)

app_key = keylink.tencent.Cmk(
    "appKey",
    region="ap-guangzhou",
    alias="app-data-key",
    description=cfg.get("appKeyDescription") or "Encrypts application data",
    key_usage=cfg.get("appKeyUsage") or "ENCRYPT_DECRYPT",
)

pulumi.export("macsecStatus", uplink_key.status)
pulumi.export("vpnState", branch_ipsec.state)
pulumi.export("byokKeyState", byok_material.key_state)
pulumi.export("replicaTrn", orders_replica.trn)
pulumi.export("appKeyId", app_key.key_id)
pulumi.export("appKeyDescription", app_key.description)
