# Starts moto_server with two fixes that make it behave like EC2 (sandbox and tests).
#
# moto picks the private address of a new ENI, and every secondary address, uniformly at random
# in the whole subnet: it can hand out the network address, the VPC router (.1), the reserved
# .2/.3, the broadcast address (.255), or an address another ENI already has. Real EC2 never does;
# the kernel then refuses the broadcast address as a route source, and a duplicate address makes
# the lab's VPC deliver one node's traffic to another. Here those picks come from the upper half
# of the subnet (instances take .4, .5, ... from moto's own sequential generator), never .255,
# and never twice.
import ipaddress
import random
import sys

import moto.ec2.models.elastic_network_interfaces as enis
import moto.ec2.responses.elastic_network_interfaces as eni_responses
import moto.ec2.utils as utils

_original = utils.random_private_ip
_issued = set()


def _ec2_like_private_ip(cidr=None, ipv6=False):
    if ipv6 or not cidr:
        return _original(cidr, ipv6)
    net = ipaddress.IPv4Network(cidr)
    hosts = list(net.hosts())
    upper = [str(h) for h in hosts[len(hosts) // 2:-1]]  # never the broadcast, never the low half
    free = [a for a in upper if a not in _issued]
    if not free:
        raise RuntimeError("sandbox moto: no free address left in " + cidr)
    ip = random.choice(free)
    _issued.add(ip)
    return ip


utils.random_private_ip = _ec2_like_private_ip
enis.random_private_ip = _ec2_like_private_ip

# moto ignores ModifyNetworkInterfaceAttribute's Attachment.DeleteOnTermination and keeps
# reporting false; EC2 stores it. The operator repairs a missing flag on every pass, so without
# this fix it would call ModifyNetworkInterfaceAttribute on every reconcile against moto.
_modify = eni_responses.ElasticNetworkInterfaces.modify_network_interface_attribute


def _modify_with_delete_on_termination(self):
    flag = self._get_bool_param("Attachment.DeleteOnTermination")
    if flag is not None:
        self.ec2_backend.get_network_interface(self._get_param("NetworkInterfaceId")).delete_on_termination = flag
    return _modify(self)


eni_responses.ElasticNetworkInterfaces.modify_network_interface_attribute = _modify_with_delete_on_termination

from moto.server import main  # noqa: E402

main(sys.argv[1:])
